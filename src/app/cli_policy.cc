// tandem policy show|versions|propose FILE|approve VERSION — the qualification policy's
// versions, directly on the store or through a running server's API with --url and --token
// (app/cli_documents.h describes the subcommands).
#include "app/cli.h"
#include "app/cli_documents.h"
#include "ingest/lead_model.h"

namespace tandem::app {

void AddPolicyCommands(CLI::App& app, Globals& g) {
  AddDocumentCommands(app, g,
                      {.command = "policy",
                       .title = "policy",
                       .description = "Show, propose and approve qualification policies",
                       .port = [](Globals::Models& m) -> std::unique_ptr<api::AgreedDocumentPort> {
                         return std::make_unique<api::ModelDocuments<ingest::LeadModel>>(*m.leads);
                       }});
}

}  // namespace tandem::app
