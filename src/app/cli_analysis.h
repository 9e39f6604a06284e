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

// The store to analyse: for writing when no server holds it (a new store gets the default
// policy installed), else read-only — an analysis changes nothing.
Result<std::unique_ptr<store::Store>> OpenAnalysisStore(const Globals& g, const std::string& who);

// The store's active policy, compiled; installs the default policy first in a store that has
// none (as every other subcommand's lead model does).
Result<std::shared_ptr<const engine::CompiledPolicy>> ActivePolicyOf(const Globals& g,
                                                                     store::Store& store);

// One call to the server named by --url; the answer's JSON, member order kept. A 422 becomes
// kInvalidArgument with the problem's errors (field, reason, line); other failures
// kFailedPrecondition with the server's detail.
Result<OrderedJson> AskServer(const Globals& g, const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::string& content_type = "application/json");

// Percent-encodes a query value.
std::string QueryEscape(std::string_view v);

// A share as a percentage with one decimal ("40.0%"), "-" for null.
std::string Percent(const OrderedJson& v);

}  // namespace tandem::app
