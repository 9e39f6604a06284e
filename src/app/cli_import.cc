// tandem import: lands with the CSV importer.
#include "app/cli.h"

namespace tandem::app {
void AddImportCommand(CLI::App&, Globals&) {}
}  // namespace tandem::app
