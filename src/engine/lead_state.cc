#include "engine/lead_state.h"

namespace tandem::engine::internal {

Window* FindWindow(PersonState& st, WindowPool& pool, WindowKind kind, uint16_t slot) {
  const uint8_t tag = TagOf(kind, slot);
  for (size_t i = 0; i < kInlineWindows; ++i) {
    if (st.tags[i] != tag) continue;
    Window& w = st.windows[i];
    if (w.kind == kind && w.slot == slot) return &w;
  }
  if (!st.pooled_lookups && kind != WindowKind::kExpiry) return nullptr;
  if (!st.overflow) return nullptr;
  for (Window& w : pool.at(st.overflow)) {
    if (w.kind == kind && w.slot == slot) return &w;
  }
  return nullptr;
}

const Window* FindWindow(const PersonState& st, const WindowPool& pool, WindowKind kind,
                         uint16_t slot) {
  return FindWindow(const_cast<PersonState&>(st), const_cast<WindowPool&>(pool), kind, slot);
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
