// Rendered JSON of records by id, for the hottest read (GET /api/v1/people/{id}). The store
// tells it which rows each commit changed (Store::OnRecordsChanged), and it forgets them.
//
// A reader takes generation() before it opens its read snapshot and offers what it rendered
// with that generation; an offer made across any invalidation is refused, so a snapshot
// older than a commit can never re-insert what that commit invalidated.
//
// Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tandem::api {

class RecordCache {
 public:
  std::optional<std::string> Find(int64_t id) const;
  uint64_t generation() const;
  // Keeps json for id unless anything was invalidated since `generation` was read.
  void Offer(int64_t id, std::string json, uint64_t generation);
  void Invalidate(const std::vector<int64_t>& ids);

 private:
  static constexpr size_t kMaxEntries = 200'000;
  mutable std::mutex mu_;
  std::unordered_map<int64_t, std::string> json_;  // guarded by mu_
  uint64_t generation_ = 0;                        // guarded by mu_
};

}  // namespace tandem::api
