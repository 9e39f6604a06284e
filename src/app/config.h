// tandem.toml: the one configuration file. Every key is optional.
#pragma once

#include <string>

#include "base/status.h"

namespace tandem::app {

struct Config {
  std::string db_path = "var/tandem.db";  // [store] path; TANDEM_DB and --db override it
  bool synchronous_full = true;           // [store] synchronous = "full" | "normal"
  std::string listen = "127.0.0.1:8080";  // [server] listen
  int threads = 2;                        // [server] threads
  size_t max_body_bytes = 32u << 20;      // [server] max_body_mb
  std::string phone_region = "US";        // [defaults] phone_region
  // [policy] default: the policy installed as version 1 in a new store, relative to the
  // working directory.
  std::string default_policy_path = "config/policy.toml";
};

// Reads path into a Config over the defaults. kNotFound if path does not exist (callers
// treat a missing default file as "use the defaults"); kInvalidArgument with the line and
// key for a malformed file or a wrong type.
Result<Config> LoadConfig(const std::string& path);

// The default policy's text: the file default_policy_path names if it exists, else the copy
// built into the program (so a store opened anywhere gets one). kUnavailable if the file
// exists but cannot be read.
Result<std::string> DefaultPolicyText(const Config& c);

// Splits "host:port". kInvalidArgument if malformed.
Result<std::pair<std::string, int>> ParseListen(const std::string& listen);

}  // namespace tandem::app
