// The ports the engine needs from the outside world. The store and app implement them.
#pragma once

#include "base/time.h"

namespace tandem {

// The engine reads time only from activities and this injected clock.
using EngineClock = Clock;

}  // namespace tandem
