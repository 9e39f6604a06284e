// A small seedable random generator for the demo company. Its output depends only on the seed
// and the calls made, on every platform (std::*_distribution output is implementation-defined,
// so the demo never uses it).
//
// Not thread-safe: one Rng per simulated thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tandem::app::demo {

// xoshiro256** seeded through splitmix64.
class Rng {
 public:
  explicit Rng(uint64_t seed);
  // An independent stream for (seed, stream, index), so the draws for one person never shift
  // another's.
  static Rng For(uint64_t seed, uint64_t stream, uint64_t index);

  uint64_t Next();
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int64_t Int(int64_t lo, int64_t hi);
  // Uniform in [0, 1).
  double Unit();
  double Range(double lo, double hi) { return lo + (hi - lo) * Unit(); }
  bool Chance(double p) { return Unit() < p; }
  // Bell-shaped noise with mean 0 within [-spread, spread].
  double Noise(double spread);
  // A Poisson count with the given mean (mean <= 50).
  int Poisson(double mean);
  // An index chosen in proportion to weights. REQUIRES: some weight > 0.
  size_t Weighted(std::span<const double> weights);

  // A uniformly chosen item. REQUIRES: !items.empty().
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[static_cast<size_t>(Int(0, static_cast<int64_t>(items.size()) - 1))];
  }
  // An item chosen in proportion to its `weight` member. REQUIRES: some weight > 0.
  template <typename T>
  const T& PickByWeight(std::span<const T> items) {
    double total = 0;
    for (const T& t : items) total += t.weight;
    double x = Unit() * total;
    for (const T& t : items) {
      if (x < t.weight) return t;
      x -= t.weight;
    }
    return items.back();
  }

 private:
  uint64_t s_[4];
};

inline double Clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

}  // namespace tandem::app::demo
