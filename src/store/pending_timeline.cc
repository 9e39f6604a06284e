#include "store/pending_timeline.h"

#include <algorithm>
#include <tuple>

namespace tandem::store {

void PendingTimeline::Add(const std::vector<TimelineKey>& keys) {
  std::lock_guard lock(mu_);
  keys_.insert(keys_.end(), keys.begin(), keys.end());
}

std::vector<TimelineKey> PendingTimeline::ForSubject(int64_t subject) const {
  std::lock_guard lock(mu_);
  std::vector<TimelineKey> out;
  for (const auto& k : keys_) {
    if (k.subject == subject) out.push_back(k);
  }
  return out;
}

std::vector<TimelineKey> PendingTimeline::SortedCopy() const {
  std::vector<TimelineKey> out;
  {
    std::lock_guard lock(mu_);
    out = keys_;
  }
  std::sort(out.begin(), out.end(), [](const TimelineKey& a, const TimelineKey& b) {
    return std::tie(a.subject, a.occurred_at, a.seq) < std::tie(b.subject, b.occurred_at, b.seq);
  });
  return out;
}

void PendingTimeline::DropUpTo(int64_t upto) {
  std::lock_guard lock(mu_);
  std::erase_if(keys_, [upto](const TimelineKey& k) { return k.seq <= upto; });
}

size_t PendingTimeline::size() const {
  std::lock_guard lock(mu_);
  return keys_.size();
}

}  // namespace tandem::store
