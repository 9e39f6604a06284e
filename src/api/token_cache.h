// Known tokens by hash, so an authenticated request costs a hash and a map look-up rather than
// a store read. Expiry is checked on every use; Clear() must follow any change to a token or
// to its user's role (the server is the store's only writer, so it sees every such change).
//
// Thread-safe.
#pragma once

#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "domain/user.h"

namespace tandem::api {

class TokenCache {
 public:
  std::optional<TokenInfo> Find(const std::string& hash) const;
  // Remembers a token found in the store (at most kMaxEntries; then starts afresh).
  void Put(const std::string& hash, const TokenInfo& token);
  void Clear();

 private:
  static constexpr size_t kMaxEntries = 10'000;
  mutable std::shared_mutex mu_;
  std::unordered_map<std::string, TokenInfo> by_hash_;  // guarded by mu_
};

}  // namespace tandem::api
