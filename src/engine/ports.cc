#include "engine/ports.h"
