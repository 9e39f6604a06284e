// What `tandem backtest` and `tandem calibrate` share (cli_backtest.cc, cli_calibrate.cc):
// the store they read, the active policy, the server they may ask instead, and how reports
// print. Internal to app.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/cli.h"
#include "engine/compiled_policy.h"

namespace tandem::app {

using OrderedJson = nlohmann::ordered_json;

// The store to analyse and its active policy, compiled. Opened read-only (an analysis changes
// nothing, and a server may hold the store); a store with no policy yet is opened for writing
// once, to install the default policy as every other subcommand's lead model does.
struct AnalysisStore {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const engine::CompiledPolicy> active;
};
Result<AnalysisStore> OpenAnalysisStore(const Globals& g, const std::string& who);

// One call to the server named by --url; the answer's JSON, member order kept. A 422 becomes
// kInvalidArgument with the problem's errors (field, reason, line); other failures
// kFailedPrecondition with the server's detail.
Result<OrderedJson> AskServer(const Globals& g, const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::string& content_type = "application/json");

// A share as a percentage with one decimal ("40.0%"), "-" for null.
std::string Percent(const OrderedJson& v);

}  // namespace tandem::app
