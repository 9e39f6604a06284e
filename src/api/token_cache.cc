#include "api/token_cache.h"

#include <mutex>

namespace tandem::api {

std::optional<TokenInfo> TokenCache::Find(const std::string& hash) const {
  std::shared_lock lock(mu_);
  auto it = by_hash_.find(hash);
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

void TokenCache::Put(const std::string& hash, const TokenInfo& token) {
  std::unique_lock lock(mu_);
  if (by_hash_.size() >= kMaxEntries) by_hash_.clear();
  by_hash_[hash] = token;
}

void TokenCache::Clear() {
  std::unique_lock lock(mu_);
  by_hash_.clear();
}

}  // namespace tandem::api
