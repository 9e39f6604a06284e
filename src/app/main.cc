// The `tandem` command: the composition root for every subcommand.
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/cli.h"
#include "app/version.h"

int main(int argc, char** argv) {
  using namespace tandem::app;
  CLI::App app{"Tandem — one person record, one lead model and one SLA for marketing and sales"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tandem ") + kVersion);
  Globals g;
  app.add_option("--db", g.db, "Store file (default: $TANDEM_DB or var/tandem.db)");
  app.add_option("--config", g.config_path, "Configuration file (default: ./tandem.toml)");
  AddServeCommand(app, g);
  AddDemoCommand(app, g);
  AddTokenCommands(app, g);
  AddImportCommand(app, g);
  AddExplainCommand(app, g);
  AddPolicyCommands(app, g);
  AddBacktestCommand(app, g);
  AddCalibrateCommand(app, g);
  AddSlaCommands(app, g);
  AddSlaReportCommand(app, g);
  AddOutboxCommand(app, g);
  AddActionCommand(app, g);
  AddQueueCommand(app, g);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc >= static_cast<int>(CLI::ExitCodes::IncorrectConstruction) ? 2 : rc;  // bad usage
  }
  return 0;
}
