// The engine's per-person state with its windowed entries. Internal to the engine.
//
// Each person's state is one 256-byte block: the core fields and eight inline windowed entries
// (caps, expiring points, last-seen activities), so an activity touches four adjacent cache
// lines. Entries beyond eight overflow into a shared pool as a linked list.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <vector>

namespace tandem::engine::internal {

constexpr int64_t kNever = std::numeric_limits<int64_t>::min();
constexpr uint16_t kOrphanRule = 0xFFFF;  // points of a rule the current policy no longer has

enum class WindowKind : uint8_t { kFree, kSeen, kCap, kExpiry };

// One windowed fact about a person.
struct Window {
  uint16_t slot = 0;  // kSeen: seen slot; kCap, kExpiry: scoring rule
  WindowKind kind = WindowKind::kFree;
  int32_t halvings = 0;  // kExpiry: the person's halvings when the points were earned
  int64_t time = 0;      // kSeen: last seen; kCap: period; kExpiry: when the points expire
  double value = 0;      // kCap: points given in the period; kExpiry: points earned
};
static_assert(sizeof(Window) == 24);

constexpr int kInlineWindows = 8;

// Invariants: score is as of last_at (decay after it not yet applied); facts are the current
// policy's fact bits; overflow heads the person's pool list (0: none).
struct alignas(64) PersonState {
  double score = 0;
  int64_t last_at = kNever;  // the latest activity's time
  int64_t stage_at = 0;
  uint64_t facts = 0;
  uint32_t overflow = 0;
  int32_t halvings = 0;  // decay halvings so far
  int16_t stage_rule = -1;
  uint16_t stage_version = 0;
  uint8_t stage = 1;  // a tandem::Stage; kLead
  int8_t grade = 2;
  int8_t persona = -1;
  bool known : 1 = false;
  bool pooled_lookups : 1 = false;  // the pool may hold kSeen or kCap windows
  bool stage_unchecked : 1 = false;  // set by hand since the rules last looked at it
  Window windows[kInlineWindows];
  int64_t next_expiry = std::numeric_limits<int64_t>::max();  // the soonest kExpiry time
};
static_assert(sizeof(PersonState) == 256);

// A growable array of T in memory the kernel may back with 2 MiB pages: per-person state is
// touched at random, and with 4 KiB pages most touches would also miss the TLB.
// REQUIRES: T is trivially copyable.
template <typename T>
class HugeArray {
 public:
  HugeArray() = default;
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  ~HugeArray() { std::free(data_); }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  // Grows to n elements, the new ones default-constructed.
  void Resize(size_t n) {
    if (n > capacity_) Reserve(std::max(n, capacity_ + capacity_ / 2));
    for (size_t i = size_; i < n; ++i) new (&data_[i]) T();
    size_ = std::max(size_, n);
  }

 private:
  static constexpr size_t kHuge = 2u << 20;
  void Reserve(size_t n) {
    size_t bytes = (n * sizeof(T) + kHuge - 1) / kHuge * kHuge;
    T* grown = static_cast<T*>(std::aligned_alloc(kHuge, bytes));
    if (!grown) throw std::bad_alloc();
    madvise(grown, bytes, MADV_HUGEPAGE);
    if (size_) std::memcpy(static_cast<void*>(grown), data_, size_ * sizeof(T));
    std::free(data_);
    data_ = grown;
    capacity_ = bytes / sizeof(T);
  }
  T* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
};

// Overflow windows: one contiguous list per person who needs more than the inline eight,
// so walking, saving and restoring a heavy user's windows touches consecutive memory.
// List 0 is never used.
class WindowPool {
 public:
  WindowPool() : lists_(1) {}
  std::vector<Window>& at(uint32_t list) { return lists_[list]; }
  const std::vector<Window>& at(uint32_t list) const { return lists_[list]; }
  // Appends w to the list `head` names, allocating one if head is 0.
  Window& Push(uint32_t& head, const Window& w) {
    if (!head) {
      if (free_.empty()) {
        lists_.emplace_back();
        head = static_cast<uint32_t>(lists_.size() - 1);
      } else {
        head = free_.back();
        free_.pop_back();
      }
    }
    lists_[head].push_back(w);
    return lists_[head].back();
  }
  void Clear(uint32_t& head) {
    if (!head) return;
    lists_[head].clear();
    free_.push_back(head);
    head = 0;
  }
  size_t bytes() const {
    size_t n = lists_.capacity() * sizeof(std::vector<Window>);
    for (const auto& l : lists_) n += l.capacity() * sizeof(Window);
    return n;
  }

 private:
  std::vector<std::vector<Window>> lists_;
  std::vector<uint32_t> free_;
};

// Windows of one person, inline first, then the pool. All of these are cheap on the inline
// part and walk the pool list only when the person has overflowed.
Window* FindWindow(PersonState& st, WindowPool& pool, WindowKind kind, uint16_t slot);
const Window* FindWindow(const PersonState& st, const WindowPool& pool, WindowKind kind,
                         uint16_t slot);
Window& AddWindow(PersonState& st, WindowPool& pool, const Window& w);
// Calls fn(Window&) for each window; fn returns false to remove it.
template <typename Fn>
void ForEachWindow(PersonState& st, WindowPool& pool, Fn fn) {
  for (Window& w : st.windows) {
    if (w.kind != WindowKind::kFree && !fn(w)) w.kind = WindowKind::kFree;
  }
  if (!st.overflow) return;
  std::vector<Window>& list = pool.at(st.overflow);
  std::erase_if(list, [&](Window& w) { return !fn(w); });
  if (list.empty()) pool.Clear(st.overflow);
}
template <typename Fn>
void ForEachWindow(const PersonState& st, const WindowPool& pool, Fn fn) {
  for (const Window& w : st.windows) {
    if (w.kind != WindowKind::kFree) fn(w);
  }
  if (!st.overflow) return;
  for (const Window& w : pool.at(st.overflow)) fn(w);
}
size_t CountWindows(const PersonState& st, const WindowPool& pool);

}  // namespace tandem::engine::internal
