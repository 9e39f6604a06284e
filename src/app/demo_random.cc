#include "app/demo_random.h"

namespace tandem::app::demo {
namespace {

uint64_t SplitMix(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// e^-x for 0 <= x <= 50 from + and * alone (IEEE-exact everywhere, unlike libm's exp):
// a Taylor series at x / 2^k, squared k times.
double ExpNeg(double x) {
  int k = 0;
  while (x > 0.5) x /= 2, ++k;
  double term = 1, sum = 1;
  for (int n = 1; n < 20; ++n) sum += (term *= -x / n);
  while (k-- > 0) sum *= sum;
  return sum;
}

}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& s : s_) s = SplitMix(seed);
}

Rng Rng::For(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t x = seed;
  uint64_t a = SplitMix(x) ^ (stream * 0xd1342543de82ef95ull);
  uint64_t b = SplitMix(a) ^ (index * 0x9e3779b97f4a7c15ull);
  return Rng(SplitMix(b));
}

uint64_t Rng::Next() {
  uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

int64_t Rng::Int(int64_t lo, int64_t hi) {
  // The modulo bias is below 2^-40 for the ranges the demo uses.
  uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
  return lo + static_cast<int64_t>(Next() % span);
}

double Rng::Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Rng::Noise(double spread) { return (Unit() + Unit() + Unit() - 1.5) * (spread / 1.5); }

int Rng::Poisson(double mean) {
  // Knuth's method: exact and fast for the small means the demo draws.
  double limit = ExpNeg(mean), p = 1;
  int k = 0;
  while ((p *= Unit()) > limit && k < 1000) ++k;
  return k;
}

size_t Rng::Weighted(std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w;
  double x = Unit() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (x < weights[i]) return i;
    x -= weights[i];
  }
  return weights.size() - 1;
}

}  // namespace tandem::app::demo
