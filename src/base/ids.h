// Strong id types: a PersonId cannot be passed where a CompanyId is expected.
#pragma once

#include <cstdint>
#include <functional>

namespace tandem {

template <typename Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(int64_t v) : v_(v) {}
  constexpr int64_t value() const { return v_; }
  constexpr bool valid() const { return v_ > 0; }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  int64_t v_ = 0;
};

using PersonId = StrongId<struct PersonTag>;
using CompanyId = StrongId<struct CompanyTag>;
using UserId = StrongId<struct UserTag>;
using TeamId = StrongId<struct TeamTag>;
using TokenId = StrongId<struct TokenTag>;
// Position of an entry in the journal; monotonic.
using Seq = StrongId<struct SeqTag>;

}  // namespace tandem

template <typename Tag>
struct std::hash<tandem::StrongId<Tag>> {
  size_t operator()(tandem::StrongId<Tag> id) const noexcept {
    return std::hash<int64_t>()(id.value());
  }
};
