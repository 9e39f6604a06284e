#include "api/record_cache.h"

namespace tandem::api {

std::optional<std::string> RecordCache::Find(int64_t id) const {
  std::lock_guard lock(mu_);
  auto it = json_.find(id);
  if (it == json_.end()) return std::nullopt;
  return it->second;
}

uint64_t RecordCache::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

void RecordCache::Offer(int64_t id, std::string json, uint64_t generation) {
  std::lock_guard lock(mu_);
  if (generation != generation_) return;
  if (json_.size() >= kMaxEntries) json_.clear();
  json_[id] = std::move(json);
}

void RecordCache::Invalidate(const std::vector<int64_t>& ids) {
  std::lock_guard lock(mu_);
  ++generation_;
  for (int64_t id : ids) json_.erase(id);
}

}  // namespace tandem::api
