#include "engine/lead_state.h"

namespace tandem::engine::internal {
namespace {

const Window* FindInline(const PersonState& st, WindowKind kind, uint16_t slot) {
  const uint8_t tag = TagOf(kind, slot);
  for (size_t i = 0; i < kInlineWindows; ++i) {
    if (st.tags[i] != tag) continue;
    const Window& w = st.windows[i];
    if (w.kind == kind && w.slot == slot) return &w;
  }
  return nullptr;
}

// Whether the pool may hold such a window of the person's.
bool MayBePooled(const PersonState& st, WindowKind kind) {
  return st.overflow && (st.pooled_lookups || kind == WindowKind::kExpiry);
}

}  // namespace

uint32_t WindowPool::Allocate() {
  uint32_t list;
  const bool reuse = !free_.empty();
  if (reuse) {
    list = free_.back();
    free_.pop_back();
  } else {
    lists_.emplace_back();
    list = static_cast<uint32_t>(lists_.size() - 1);
  }
  if (recording_) log_.push_back({.op = reuse ? Op::kReuse : Op::kGrow, .list = list});
  return list;
}

void WindowPool::Clear(uint32_t& head) {
  if (!head) return;
  if (recording_) {
    log_.push_back({.op = Op::kFree, .list = head});
    saved_.push_back(std::move(lists_[head]));  // O(1): the windows move, not copied
  }
  lists_[head].clear();
  free_.push_back(head);
  head = 0;
}

Window* WindowPool::Find(uint32_t head, WindowKind kind, uint16_t slot) {
  std::vector<Window>& list = lists_[head];
  for (size_t i = 0; i < list.size(); ++i) {
    Window& w = list[i];
    if (w.kind != kind || w.slot != slot) continue;
    if (recording_) {
      log_.push_back({.op = Op::kSet, .list = head, .index = static_cast<uint32_t>(i), .old = w});
    }
    return &w;
  }
  return nullptr;
}

const Window* WindowPool::Find(uint32_t head, WindowKind kind, uint16_t slot) const {
  for (const Window& w : lists_[head]) {
    if (w.kind == kind && w.slot == slot) return &w;
  }
  return nullptr;
}

void WindowPool::Record(bool on) {
  recording_ = on;
  if (on) return;
  DropLog();
  if (log_.capacity() > (size_t{1} << 16)) log_.shrink_to_fit();  // a huge write's
}

void WindowPool::DropLog() {
  log_.clear();
  saved_.clear();
}

void WindowPool::UndoTo(size_t mark) {
  for (; log_.size() > mark; log_.pop_back()) {
    const Change& c = log_.back();
    switch (c.op) {
      case Op::kAppend:
        lists_[c.list].pop_back();
        break;
      case Op::kSet:
        lists_[c.list][c.index] = c.old;
        break;
      case Op::kErase:
        lists_[c.list].insert(lists_[c.list].begin() + c.index, c.old);
        break;
      case Op::kReuse:
        free_.push_back(c.list);
        break;
      case Op::kGrow:
        lists_.pop_back();
        break;
      case Op::kFree:
        free_.pop_back();
        lists_[c.list] = std::move(saved_.back());
        saved_.pop_back();
        break;
    }
  }
}

Window* FindWindow(PersonState& st, WindowPool& pool, WindowKind kind, uint16_t slot) {
  if (const Window* w = FindInline(st, kind, slot)) return const_cast<Window*>(w);
  return MayBePooled(st, kind) ? pool.Find(st.overflow, kind, slot) : nullptr;
}

const Window* FindWindow(const PersonState& st, const WindowPool& pool, WindowKind kind,
                         uint16_t slot) {
  if (const Window* w = FindInline(st, kind, slot)) return w;
  return MayBePooled(st, kind) ? pool.Find(st.overflow, kind, slot) : nullptr;
}

Window& AddWindow(PersonState& st, WindowPool& pool, const Window& w) {
  for (size_t i = 0; i < kInlineWindows; ++i) {
    if (!st.tags[i]) return st.SetWindow(i, w);
  }
  if (w.kind != WindowKind::kExpiry) st.pooled_lookups = true;
  return pool.Push(st.overflow, w);
}

size_t CountWindows(const PersonState& st, const WindowPool& pool) {
  size_t n = 0;
  ForEachWindow(st, pool, [&](const Window&) { ++n; });
  return n;
}

}  // namespace tandem::engine::internal
