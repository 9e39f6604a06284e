#include "engine/sla_timers.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace tandem::engine {
namespace {

constexpr size_t kMinCapacity = 16;

// MurmurHash3's finaliser: callers' keys are structured (ids shifted and or-ed), so mix well.
inline uint64_t Mix(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  return k ^ (k >> 33);
}

}  // namespace

void SlaTimers::Arm(ClockKey key, Timestamp due) {
  assert(key != kNoClock);
  const int64_t due_us = ToMicros(due);
  const uint32_t slot = Find(key.value);
  if (slot != kNone) {
    const size_t i = pos_[slot];
    const int64_t old = heap_[i].due_us;
    heap_[i].due_us = due_us;
    if (due_us < old) SiftUp(i);
    if (due_us > old) SiftDown(i);
    return;
  }
  if ((heap_.size() + 1) * 4 > keys_.size() * 3) {
    Rehash(std::max(kMinCapacity, keys_.size() * 2));
  }
  const uint32_t added = Insert(key.value);
  heap_.push_back({due_us, added});
  pos_[added] = static_cast<uint32_t>(heap_.size() - 1);
  SiftUp(heap_.size() - 1);
}

bool SlaTimers::Cancel(ClockKey key) {
  const uint32_t slot = Find(key.value);
  if (slot == kNone) return false;
  RemoveAt(pos_[slot]);
  EraseSlot(slot);
  return true;
}

std::optional<Timestamp> SlaTimers::DueOf(ClockKey key) const {
  const uint32_t slot = Find(key.value);
  if (slot == kNone) return std::nullopt;
  return FromMicros(heap_[pos_[slot]].due_us);
}

std::optional<Timestamp> SlaTimers::NextDue() const {
  if (heap_.empty()) return std::nullopt;
  return FromMicros(heap_[0].due_us);
}

void SlaTimers::Reserve(size_t clocks) {
  size_t capacity = std::max(kMinCapacity, keys_.size());
  while (clocks * 4 > capacity * 3) capacity *= 2;
  if (capacity > keys_.size()) Rehash(capacity);
  heap_.reserve(clocks);
}

size_t SlaTimers::MemoryBytes() const {
  return sizeof(*this) + heap_.capacity() * sizeof(HeapEntry) +
         keys_.capacity() * sizeof(uint64_t) + pos_.capacity() * sizeof(uint32_t);
}

void SlaTimers::PopTop() {
  const uint32_t slot = heap_[0].slot;
  RemoveAt(0);
  EraseSlot(slot);
}

// ---- Hash table: keys_[slot] and pos_[slot], linear probing ----

uint32_t SlaTimers::Find(uint64_t key) const {
  if (keys_.empty()) return kNone;
  for (size_t i = Mix(key) & mask_;; i = (i + 1) & mask_) {
    if (keys_[i] == key) return static_cast<uint32_t>(i);
    if (keys_[i] == kEmpty) return kNone;
  }
}

uint32_t SlaTimers::Insert(uint64_t key) {
  size_t i = Mix(key) & mask_;
  while (keys_[i] != kEmpty) i = (i + 1) & mask_;
  keys_[i] = key;
  return static_cast<uint32_t>(i);
}

// Backward-shift deletion: entries after the hole that may move into it do, so lookups never
// need tombstones. Moved entries' heap entries follow them.
void SlaTimers::EraseSlot(uint32_t slot) {
  size_t hole = slot;
  for (size_t j = (hole + 1) & mask_; keys_[j] != kEmpty; j = (j + 1) & mask_) {
    const size_t home = Mix(keys_[j]) & mask_;
    if (((j - home) & mask_) < ((j - hole) & mask_)) continue;  // the hole is before its home
    keys_[hole] = keys_[j];
    pos_[hole] = pos_[j];
    heap_[pos_[hole]].slot = static_cast<uint32_t>(hole);
    hole = j;
  }
  keys_[hole] = kEmpty;
}

void SlaTimers::Rehash(size_t capacity) {
  std::vector<uint64_t> old_keys(capacity, kEmpty);
  std::vector<uint32_t> old_pos(capacity, kNone);
  old_keys.swap(keys_);
  old_pos.swap(pos_);
  mask_ = capacity - 1;
  for (size_t i = 0; i < old_keys.size(); ++i) {
    if (old_keys[i] == kEmpty) continue;
    const uint32_t slot = Insert(old_keys[i]);
    pos_[slot] = old_pos[i];
    heap_[old_pos[i]].slot = slot;
  }
}

// ---- 4-ary heap ordered by (due, key) ----

bool SlaTimers::Less(const HeapEntry& a, const HeapEntry& b) const {
  if (a.due_us != b.due_us) return a.due_us < b.due_us;
  return keys_[a.slot] < keys_[b.slot];
}

void SlaTimers::Place(size_t i, HeapEntry e) {
  heap_[i] = e;
  pos_[e.slot] = static_cast<uint32_t>(i);
}

void SlaTimers::SiftUp(size_t i) {
  const HeapEntry e = heap_[i];
  while (i > 0) {
    const size_t parent = (i - 1) / 4;
    if (!Less(e, heap_[parent])) break;
    Place(i, heap_[parent]);
    i = parent;
  }
  Place(i, e);
}

void SlaTimers::SiftDown(size_t i) {
  const HeapEntry e = heap_[i];
  const size_t n = heap_.size();
  while (true) {
    const size_t first = 4 * i + 1;
    if (first >= n) break;
    size_t best = first;
    const size_t last = std::min(first + 4, n);
    for (size_t c = first + 1; c < last; ++c) {
      if (Less(heap_[c], heap_[best])) best = c;
    }
    if (!Less(heap_[best], e)) break;
    Place(i, heap_[best]);
    i = best;
  }
  Place(i, e);
}

void SlaTimers::RemoveAt(size_t i) {
  const HeapEntry last = heap_.back();
  heap_.pop_back();
  if (i == heap_.size()) return;
  Place(i, last);
  if (i > 0 && Less(last, heap_[(i - 1) / 4])) {
    SiftUp(i);
  } else {
    SiftDown(i);
  }
}

}  // namespace tandem::engine
