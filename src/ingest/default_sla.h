// The default SLA (config/sla.toml as it was at build time), built into the program so that
// tests and installs never depend on the working directory.
#pragma once

#include <string_view>

namespace tandem::ingest {

// The text of config/sla.toml when the program was built; empty if the build found none.
std::string_view EmbeddedDefaultSla();

}  // namespace tandem::ingest
