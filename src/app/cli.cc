#include "app/cli.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace tandem::app {

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
