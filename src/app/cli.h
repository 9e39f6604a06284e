// The `tandem` command line: shared options and the subcommands' registration.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "app/config.h"
#include "base/time.h"
#include "ingest/lead_model.h"
#include "ingest/sla_model.h"
#include "store/store.h"

namespace tandem::app {

// Options every subcommand shares, and what they resolve to.
struct Globals {
  std::string db;           // --db, else TANDEM_DB, else the config's store path
  std::string config_path;  // --config, else ./tandem.toml if present
  std::string url, token;   // --url/--token: act through a running server's API
  SystemClock clock;

  // The configuration with --db and TANDEM_DB applied. Exits with a message if malformed.
  Config Resolve() const;
  // Opens the store for writing. If a server holds it, the error says so and suggests
  // --url and --token.
  Result<std::unique_ptr<store::Store>> OpenForWrite(const std::string& who) const;
  Result<std::unique_ptr<store::Store>> OpenForRead() const;
  // The lead model over a store opened for writing: every writer runs it, so each journaled
  // input gets its decisions in the same write. The model must be destroyed before the store.
  Result<std::unique_ptr<ingest::LeadModel>> OpenLeadModel(store::Store& store) const;
  // Both models every writer runs: the lead model, then the SLA model beside it (MQLs are
  // routed and their clocks start in the same write). Destroy them before the store.
  struct Models {
    std::unique_ptr<ingest::LeadModel> leads;
    std::unique_ptr<ingest::SlaModel> sla;
  };
  Result<Models> OpenModels(store::Store& store) const;
};

// Exit codes: 0 ok, 1 the operation failed, 2 bad usage, 3 the store is held by a server.
// Prints st and each of its field errors ("  field: reason") on stderr; returns the code.
int Fail(const Status& st);

void AddServeCommand(CLI::App& app, Globals& g);
void AddDemoCommand(CLI::App& app, Globals& g);
void AddTokenCommands(CLI::App& app, Globals& g);
void AddImportCommand(CLI::App& app, Globals& g);
void AddExplainCommand(CLI::App& app, Globals& g);
void AddPolicyCommands(CLI::App& app, Globals& g);
void AddBacktestCommand(CLI::App& app, Globals& g);
void AddCalibrateCommand(CLI::App& app, Globals& g);
void AddSlaCommands(CLI::App& app, Globals& g);
void AddActionCommand(CLI::App& app, Globals& g);
void AddQueueCommand(CLI::App& app, Globals& g);
void AddSlaReportCommand(CLI::App& app, Globals& g);  // after AddSlaCommands
void AddOutboxCommand(CLI::App& app, Globals& g);

}  // namespace tandem::app
