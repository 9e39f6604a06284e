// The engine's per-person state with its windowed entries. Internal to the engine.
//
// Each person's state is one 256-byte block: the core fields and eight inline windowed entries
// (caps, expiring points, last-seen activities), so an activity touches at most four adjacent
// cache lines. Entries beyond eight overflow into a shared pool, one list per person.
#pragma once

#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <string_view>
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

constexpr size_t kInlineWindows = 8;

// A window's kind (top two bits: a tag tells the kind exactly) and slot modulo 64 in a byte;
// 0 for a free window. Different windows may share a tag, never a free and a used one.
inline uint8_t TagOf(WindowKind kind, uint16_t slot) {
  if (kind == WindowKind::kFree) return 0;
  return static_cast<uint8_t>(static_cast<unsigned>(kind) << 6 | (slot & 63u));
}

// Invariants: score is as of last_at (decay after it not yet applied); facts are the current
// policy's fact bits; overflow heads the person's pool list (0: none); tags[i] is
// TagOf(windows[i]).
//
// The first cache line holds everything an activity reads besides the windows it uses, and
// the windows' tags, so finding a window (or learning there is none) reads that line alone.
struct alignas(64) PersonState {
  double score = 0;
  int64_t last_at = kNever;  // the latest activity's time
  int64_t stage_at = 0;
  uint64_t facts = 0;
  int64_t next_expiry = std::numeric_limits<int64_t>::max();  // the soonest kExpiry time
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
  uint8_t tags[kInlineWindows] = {};
  Window windows[kInlineWindows];

  // Sets inline window i to w.
  Window& SetWindow(size_t i, const Window& w) {
    tags[i] = TagOf(w.kind, w.slot);
    return windows[i] = w;
  }
};
static_assert(sizeof(PersonState) == 256);
static_assert(offsetof(PersonState, windows) == 64);

// A growable array of T in memory the kernel may back with 2 MiB pages: per-person state is
// touched at random, and with 4 KiB pages most touches would also miss the TLB. Growing moves
// the pages already used to a larger range (mremap) rather than copying them.
// REQUIRES: T is trivially copyable.
template <typename T>
class HugeArray {
 public:
  HugeArray() = default;
  HugeArray(const HugeArray&) = delete;
  HugeArray& operator=(const HugeArray&) = delete;
  ~HugeArray() {
    if (data_) munmap(data_, bytes_);
  }
  size_t size() const { return size_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  // Grows to n elements, the new ones default-constructed.
  void Resize(size_t n) {
    if (n > capacity_) Reserve(std::max(n, capacity_ * 2));
    for (size_t i = size_; i < n; ++i) new (&data_[i]) T();
    size_ = std::max(size_, n);
  }

 private:
  static constexpr size_t kHuge = 2u << 20;
  // bytes of fresh zeroed memory starting on a 2 MiB boundary.
  static void* MapAligned(size_t bytes) {
    void* raw = mmap(nullptr, bytes + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
    if (raw == MAP_FAILED) throw std::bad_alloc();
    auto begin = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned = (begin + kHuge - 1) / kHuge * kHuge;
    if (aligned > begin) munmap(raw, aligned - begin);
    if (size_t tail = begin + bytes + kHuge - (aligned + bytes)) {
      munmap(reinterpret_cast<void*>(aligned + bytes), tail);
    }
    madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);
    return reinterpret_cast<void*>(aligned);
  }
  void Reserve(size_t n) {
    size_t bytes = (n * sizeof(T) + kHuge - 1) / kHuge * kHuge;
    void* grown = MapAligned(bytes);
    if (data_) {
      // Moves the page tables, not the data; copies only if the kernel refuses.
      void* moved = mremap(data_, bytes_, bytes_, MREMAP_MAYMOVE | MREMAP_FIXED, grown);
      if (moved == MAP_FAILED) {
        std::memcpy(grown, static_cast<void*>(data_), size_ * sizeof(T));
        munmap(data_, bytes_);
      }
    }
    data_ = static_cast<T*>(grown);
    bytes_ = bytes;
    capacity_ = bytes / sizeof(T);
  }
  T* data_ = nullptr;
  size_t size_ = 0, capacity_ = 0;
  size_t bytes_ = 0;  // mapped at data_
};

// Overflow windows: one contiguous list per person who needs more than the inline eight,
// so walking a heavy user's windows touches consecutive memory. List 0 is never used.
//
// Undo: while recording, every change to the pool is logged with what it replaced, so that
// UndoTo(mark) puts the pool back as it was at Mark() in time proportional to the changes
// since, however long the lists are. Lists are changed only through the members below.
// Invariants: log_ is empty unless recording_; replaying log_ backwards from its end to a mark
// gives the pool as it was at that mark; saved_ holds, in order, the contents of the lists
// Clear emptied while recording (one per kFree record).
class WindowPool {
 public:
  WindowPool() : lists_(1) {}
  const std::vector<Window>& at(uint32_t list) const { return lists_[list]; }

  // Appends w to the list `head` names, allocating one if head is 0. The caller may change
  // the window returned until its next call into the pool (undo removes it whole).
  Window& Push(uint32_t& head, const Window& w) {
    if (!head) head = Allocate();
    if (recording_) log_.push_back({.op = Op::kAppend, .list = head});
    lists_[head].push_back(w);
    return lists_[head].back();
  }
  // Empties the list `head` names and sets head to 0.
  void Clear(uint32_t& head);
  // The first window of list `head` (not 0) with this kind and slot, or nullptr. Logged as
  // changed: the caller may change it until its next call into the pool.
  Window* Find(uint32_t head, WindowKind kind, uint16_t slot);
  const Window* Find(uint32_t head, WindowKind kind, uint16_t slot) const;
  // Calls fn(Window&) for each window of list `head` (not 0), in order; fn may change it and
  // returns false to remove it. Clears the list if none is left.
  template <typename Fn>
  void Rewrite(uint32_t& head, Fn fn);

  // Starts or stops logging changes; stopping drops the log (changes before can no longer
  // be undone).
  void Record(bool on);
  // A position in the log (0 when not recording).
  size_t Mark() const { return log_.size(); }
  // Undoes every change logged since mark, newest first, and drops their records.
  // REQUIRES: mark <= Mark().
  void UndoTo(size_t mark);

  size_t bytes() const {
    size_t n = lists_.capacity() * sizeof(std::vector<Window>);
    for (const auto& l : lists_) n += l.capacity() * sizeof(Window);
    return n;
  }

 private:
  // kAppend: a window appended to list; kSet: list[index] was old; kErase: old was removed
  // from list[index]; kReuse: list taken from free_; kGrow: list added to lists_; kFree: list
  // emptied (contents in saved_) and put on free_.
  enum class Op : uint8_t { kAppend, kSet, kErase, kReuse, kGrow, kFree };
  struct Change {
    Op op;
    uint32_t list = 0;
    uint32_t index = 0;
    Window old;
  };
  uint32_t Allocate();
  void DropLog();
  // Field by field (the padding byte may differ), values by their bits.
  static bool Same(const Window& a, const Window& b) {
    return a.slot == b.slot && a.kind == b.kind && a.halvings == b.halvings && a.time == b.time &&
           std::bit_cast<uint64_t>(a.value) == std::bit_cast<uint64_t>(b.value);
  }

  std::vector<std::vector<Window>> lists_;
  std::vector<uint32_t> free_;
  bool recording_ = false;
  std::vector<Change> log_;
  std::vector<std::vector<Window>> saved_;
};

template <typename Fn>
void WindowPool::Rewrite(uint32_t& head, Fn fn) {
  std::vector<Window>& list = lists_[head];
  if (!recording_) {
    std::erase_if(list, [&](Window& w) { return !fn(w); });
  } else {
    // As if each window were changed or removed in turn: the i-th is then at index `kept`.
    size_t kept = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      const Window old = list[i];
      const bool keep = fn(list[i]);
      if (!keep || !Same(old, list[i])) {
        log_.push_back({.op = keep ? Op::kSet : Op::kErase,
                        .list = head,
                        .index = static_cast<uint32_t>(kept),
                        .old = old});
      }
      if (keep) list[kept++] = list[i];
    }
    list.resize(kept);
  }
  if (list.empty()) Clear(head);
}

// Windows of one person, inline first, then the pool. All of these are cheap on the inline
// part and walk the pool list only when the person has overflowed.
Window* FindWindow(PersonState& st, WindowPool& pool, WindowKind kind, uint16_t slot);
const Window* FindWindow(const PersonState& st, const WindowPool& pool, WindowKind kind,
                         uint16_t slot);
Window& AddWindow(PersonState& st, WindowPool& pool, const Window& w);
// Calls fn(Window&) for each window; fn returns false to remove it.
template <typename Fn>
void ForEachWindow(PersonState& st, WindowPool& pool, Fn fn) {
  for (size_t i = 0; i < kInlineWindows; ++i) {
    if (!st.tags[i]) continue;
    Window& w = st.windows[i];
    if (!fn(w)) w.kind = WindowKind::kFree;
    st.tags[i] = TagOf(w.kind, w.slot);  // fn may have moved it to another slot
  }
  if (st.overflow) pool.Rewrite(st.overflow, fn);
}
template <typename Fn>
void ForEachWindow(const PersonState& st, const WindowPool& pool, Fn fn) {
  for (size_t i = 0; i < kInlineWindows; ++i) {
    if (st.tags[i]) fn(st.windows[i]);
  }
  if (!st.overflow) return;
  for (const Window& w : pool.at(st.overflow)) fn(w);
}
size_t CountWindows(const PersonState& st, const WindowPool& pool);

// A cache from short texts (each with a tag saying what it is) to 64-bit results of a pure
// function of them: activity property values to the tests they pass, job titles to the fact
// bits they set. Two-way set-associative, so two common texts that hash alike do not evict
// each other on every use. A hit compares the text itself: a hash collision costs a miss,
// never a wrong answer. Texts over kMaxText bytes are not cached.
// Invariants: an entry with size <= kMaxText holds text[0, size), its tag, hash and result.
class TextMemo {
 public:
  static constexpr size_t kMaxText = 40;
  static constexpr size_t kSets = 512;

  // fn() computes the result for (tag, text) on a miss.
  template <typename Fn>
  uint64_t Get(uint32_t tag, std::string_view text, uint64_t hash, Fn fn) {
    if (text.size() > kMaxText) return fn();
    if (text.empty()) text = std::string_view("", 0);  // memcmp and memcpy want a pointer
    if (entries_.empty()) entries_.resize(2 * kSets);
    Entry* set = &entries_[2 * (hash & (kSets - 1))];
    for (int way = 0; way < 2; ++way) {
      const Entry& e = set[way];
      if (e.hash == hash && e.tag == tag && e.size == text.size() &&
          std::memcmp(e.text, text.data(), text.size()) == 0) {
        return e.result;
      }
    }
    // The newest in way 0, the one it displaces in way 1.
    set[1] = set[0];
    Entry& e = set[0];
    e.result = fn();
    e.hash = hash;
    e.tag = tag;
    e.size = static_cast<uint32_t>(text.size());
    std::memcpy(e.text, text.data(), text.size());
    return e.result;
  }
  // Forgets everything (the function changed: a new policy).
  void Clear() { entries_.clear(); }

 private:
  struct alignas(64) Entry {
    uint64_t hash = 0;
    uint32_t tag = 0;
    uint32_t size = std::numeric_limits<uint32_t>::max();
    uint64_t result = 0;
    char text[kMaxText];
  };
  static_assert(sizeof(Entry) == 64);
  std::vector<Entry> entries_;
};

}  // namespace tandem::engine::internal
