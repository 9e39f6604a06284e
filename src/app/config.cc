#include "app/config.h"

#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/default_policy.h"

namespace tandem::app {
namespace {

template <typename T>
Status Read(const toml::table& t, const char* section, const char* key, T& out) {
  auto node = t[section][key];
  if (!node) return Status::Ok();
  auto v = node.value<T>();
  if (!v) {
    auto where = node.node()->source().begin;
    return InvalidArgument("tandem.toml line " + std::to_string(where.line) + ": " + section + "." +
                           key + " has the wrong type");
  }
  out = *v;
  return Status::Ok();
}

}  // namespace

Result<Config> LoadConfig(const std::string& path) {
  if (!std::filesystem::exists(path)) return NotFound("no configuration file " + path);
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument(path + " line " + std::to_string(e.source().begin.line) + ": " +
                           std::string(e.description()));
  }
  Config c;
  std::string sync = "full";
  int64_t threads = c.threads, max_body_mb = static_cast<int64_t>(c.max_body_bytes >> 20);
  TANDEM_RETURN_IF_ERROR(Read(t, "store", "path", c.db_path));
  TANDEM_RETURN_IF_ERROR(Read(t, "store", "synchronous", sync));
  TANDEM_RETURN_IF_ERROR(Read(t, "server", "listen", c.listen));
  TANDEM_RETURN_IF_ERROR(Read(t, "server", "threads", threads));
  TANDEM_RETURN_IF_ERROR(Read(t, "server", "max_body_mb", max_body_mb));
  TANDEM_RETURN_IF_ERROR(Read(t, "defaults", "phone_region", c.phone_region));
  TANDEM_RETURN_IF_ERROR(Read(t, "policy", "default", c.default_policy_path));
  if (sync != "full" && sync != "normal") {
    return InvalidArgument(path + ": store.synchronous must be \"full\" or \"normal\"");
  }
  if (threads < 1 || threads > 64) return InvalidArgument(path + ": server.threads is 1-64");
  if (max_body_mb < 1 || max_body_mb > 1024) {
    return InvalidArgument(path + ": server.max_body_mb is 1-1024");
  }
  c.synchronous_full = sync == "full";
  c.threads = static_cast<int>(threads);
  c.max_body_bytes = static_cast<size_t>(max_body_mb) << 20;
  return c;
}

Result<std::string> DefaultPolicyText(const Config& c) {
  std::error_code ec;
  if (c.default_policy_path.empty() || !std::filesystem::exists(c.default_policy_path, ec)) {
    return std::string(ingest::EmbeddedDefaultPolicy());
  }
  std::ifstream in(c.default_policy_path, std::ios::binary);
  if (!in) return Status(Code::kUnavailable, "cannot read " + c.default_policy_path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgument("listen address must be HOST:PORT, e.g. 127.0.0.1:8080");
  }
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (...) {
    port = -1;
  }
  if (port < 0 || port > 65535) return InvalidArgument("port must be 0-65535 in " + listen);
  return std::make_pair(listen.substr(0, colon), port);
}

}  // namespace tandem::app
