#include "app/cli.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "ingest/default_sla.h"

namespace tandem::app {
namespace {

// The default SLA's text: config/sla.toml under the working directory if it exists, else the
// copy built into the program. kUnavailable if the file exists but cannot be read.
Result<std::string> DefaultSlaText() {
  const char* kPath = "config/sla.toml";
  std::error_code ec;
  if (!std::filesystem::exists(kPath, ec)) return std::string(ingest::EmbeddedDefaultSla());
  std::ifstream in(kPath, std::ios::binary);
  if (!in) return Status(Code::kUnavailable, std::string("cannot read ") + kPath);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace


Config Globals::Resolve() const {
  Config c;
  std::string path = config_path.empty() ? "tandem.toml" : config_path;
  auto loaded = LoadConfig(path);
  if (loaded.ok()) {
    c = *loaded;
  } else if (loaded.status().code() != Code::kNotFound || !config_path.empty()) {
    std::cerr << "tandem: " << loaded.status().message() << "\n";
    std::exit(2);
  }
  if (const char* env = std::getenv("TANDEM_DB"); env && *env) c.db_path = env;
  if (!db.empty()) c.db_path = db;
  return c;
}

Result<std::unique_ptr<store::Store>> Globals::OpenForWrite(const std::string& who) const {
  Config c = Resolve();
  auto s =
      store::Store::Open(c.db_path, clock, {.holder = who, .synchronous_full = c.synchronous_full});
  if (!s.ok() && s.status().code() == Code::kFailedPrecondition &&
      s.status().message().find("held by") != std::string::npos) {
    return FailedPrecondition(s.status().message() +
                              "; stop it, or act through its API with --url URL --token TOKEN");
  }
  return s;
}

Result<std::unique_ptr<ingest::LeadModel>> Globals::OpenLeadModel(store::Store& store) const {
  auto policy = DefaultPolicyText(Resolve());
  if (!policy.ok()) return policy.status();
  return ingest::LeadModel::Open(store, *policy);
}


Result<Globals::Models> Globals::OpenModels(store::Store& store) const {
  Models m;
  auto leads = OpenLeadModel(store);
  if (!leads.ok()) return leads.status();
  m.leads = std::move(*leads);
  auto sla = DefaultSlaText();
  if (!sla.ok()) return sla.status();
  auto model = ingest::OpenSlaModel(store, *sla, *m.leads);
  if (!model.ok()) return model.status();
  m.sla = std::move(*model);
  return m;
}

Result<std::unique_ptr<store::Store>> Globals::OpenForRead() const {
  return store::Store::Open(Resolve().db_path, clock, {.read_only = true});
}

int Fail(const Status& st) {
  std::cerr << "tandem: " << st.message() << "\n";
  for (const auto& e : st.errors()) std::cerr << "  " << e.field << ": " << e.reason << "\n";
  if (st.code() == Code::kFailedPrecondition && st.message().find("held by") != std::string::npos) {
    return 3;
  }
  return st.code() == Code::kInvalidArgument ? 2 : 1;
}

}  // namespace tandem::app
