#include "app/config.h"

#include <toml++/toml.h>

#include <cctype>
#include <cstdlib>
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

std::string LineOf(const toml::node& n) {
  return "tandem.toml line " + std::to_string(n.source().begin.line) + ": ";
}

// Reads section.key from a table node, as Read does for top-level sections.
template <typename T>
Status ReadIn(const toml::table& section, const std::string& name, const char* key, T& out) {
  const toml::node* node = section.get(key);
  if (!node) return Status::Ok();
  auto v = node->value<T>();
  if (!v) return InvalidArgument(LineOf(*node) + name + "." + key + " has the wrong type");
  out = *v;
  return Status::Ok();
}

Status ReadTimeout(const toml::table& section, const std::string& name, std::chrono::seconds& out) {
  int64_t secs = out.count();
  TANDEM_RETURN_IF_ERROR(ReadIn(section, name, "timeout_seconds", secs));
  if (secs < 1 || secs > 600) {
    return InvalidArgument(LineOf(section) + name + ".timeout_seconds is 1-600");
  }
  out = std::chrono::seconds(secs);
  return Status::Ok();
}

std::string EnvOr(const std::string& variable, const std::string& fallback) {
  const char* env = std::getenv(variable.c_str());
  return env && *env ? std::string(env) : fallback;
}

Status ReadSmtp(const toml::table& t, Config& c) {
  const toml::node* node = t.get("smtp");
  if (!node) return Status::Ok();
  const toml::table* smtp = node->as_table();
  if (!smtp) return InvalidArgument(LineOf(*node) + "smtp must be a table [smtp]");
  SmtpConfig s;
  int64_t port = s.port;
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "host", s.host));
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "port", port));
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "from", s.from));
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "user", s.user));
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "password", s.password));
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "starttls", s.starttls));
  TANDEM_RETURN_IF_ERROR(ReadIn(*smtp, "smtp", "ca_file", s.ca_file));
  TANDEM_RETURN_IF_ERROR(ReadTimeout(*smtp, "smtp", s.timeout));
  if (s.host.empty()) return InvalidArgument(LineOf(*smtp) + "smtp.host is missing");
  if (s.from.empty()) return InvalidArgument(LineOf(*smtp) + "smtp.from is missing");
  if (port < 1 || port > 65535) return InvalidArgument(LineOf(*smtp) + "smtp.port is 1-65535");
  s.port = static_cast<int>(port);
  s.password = EnvOr("TANDEM_SMTP_PASSWORD", s.password);
  c.smtp = std::move(s);
  return Status::Ok();
}

std::string SecretVariable(const std::string& name) {
  std::string v = "TANDEM_WEBHOOK_";
  for (unsigned char ch : name) v += std::isalnum(ch) ? static_cast<char>(std::toupper(ch)) : '_';
  return v + "_SECRET";
}

Status ReadWebhook(const std::string& name, const toml::node& node, Config& c) {
  const std::string section = "webhooks." + name;
  const toml::table* table = node.as_table();
  if (!table) return InvalidArgument(LineOf(node) + section + " must be a table [" + section + "]");
  WebhookConfig w;
  TANDEM_RETURN_IF_ERROR(ReadIn(*table, section, "url", w.url));
  TANDEM_RETURN_IF_ERROR(ReadIn(*table, section, "secret", w.secret));
  TANDEM_RETURN_IF_ERROR(ReadIn(*table, section, "ca_file", w.ca_file));
  TANDEM_RETURN_IF_ERROR(ReadTimeout(*table, section, w.timeout));
  if (w.url.rfind("http://", 0) != 0 && w.url.rfind("https://", 0) != 0) {
    return InvalidArgument(LineOf(*table) + section + ".url must start with http:// or https://");
  }
  w.secret = EnvOr(SecretVariable(name), w.secret);
  if (w.secret.empty()) {
    return InvalidArgument(LineOf(*table) + section + ".secret is missing (or set " +
                           SecretVariable(name) + ")");
  }
  c.webhooks[name] = std::move(w);
  return Status::Ok();
}

Status ReadWebhooks(const toml::table& t, Config& c) {
  const toml::node* node = t.get("webhooks");
  if (!node) return Status::Ok();
  const toml::table* all = node->as_table();
  if (!all) return InvalidArgument(LineOf(*node) + "webhooks must be tables [webhooks.NAME]");
  for (auto&& [name, value] : *all) {
    TANDEM_RETURN_IF_ERROR(ReadWebhook(std::string(name.str()), value, c));
  }
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
  TANDEM_RETURN_IF_ERROR(ReadSmtp(t, c));
  TANDEM_RETURN_IF_ERROR(ReadWebhooks(t, c));
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
