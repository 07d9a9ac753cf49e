#include "peerpulse/store/noise.h"

#include <cmath>
#include <cstdlib>

#include "peerpulse/pipeline/crypto.h"

namespace peerpulse::store {
namespace {

constexpr std::uint64_t kEpsilonDen = 1000000;  // epsilon is used as a rational with this denominator

}  // namespace

bool SampleBernoulli(std::uint64_t num, std::uint64_t den) {
  if (den == 0 || num > den) std::abort();
  if (num == den) return true;
  return SecureRandomBelow(den) < num;
}

bool SampleBernoulliExp(std::uint64_t num, std::uint64_t den) {
  if (den == 0) std::abort();
  // exp(-g) = exp(-1)^floor(g) * exp(-(g - floor(g))).
  while (num > den) {
    if (!SampleBernoulliExp(1, 1)) return false;
    num -= den;
  }
  // 0 <= g <= 1: draw Bernoulli(g/k) for k = 1, 2, ... until one fails; the
  // number of successes K-1 is even (K odd) with probability exp(-g).
  std::uint64_t k = 1;
  for (;;) {
    // g/k = num/(den*k); den*k stays far below 2^64 (k is tiny with overwhelming probability).
    std::uint64_t d = 0;
    // Overflow needs k ~ 2^64/den successes in a row: probability below 1/k!, never in practice.
    if (__builtin_mul_overflow(den, k, &d)) break;
    if (!SampleBernoulli(num, d)) break;
    ++k;
  }
  return k % 2 == 1;
}

std::int64_t SampleDiscreteLaplace(std::uint64_t t, std::uint64_t s) {
  if (s == 0 || t == 0 || t >= (1ull << 32)) std::abort();
  for (;;) {
    const std::uint64_t u = SecureRandomBelow(t);
    if (!SampleBernoulliExp(u, t)) continue;
    std::uint64_t v = 0;
    while (SampleBernoulliExp(1, 1)) ++v;
    const std::uint64_t x = u + t * v;
    const std::uint64_t y = x / s;
    const bool negative = SampleBernoulli(1, 2);
    if (negative && y == 0) continue;
    return negative ? -static_cast<std::int64_t>(y) : static_cast<std::int64_t>(y);
  }
}

Result<NoisyThreshold> NoisyThreshold::Create(const DpParams& p) {
  if (p.min_authors < 1 || p.max_cells_per_author < 1 || p.max_cells_per_author > 1000) {
    return Status::InvalidArgument("min_authors and max_cells_per_author must be at least 1");
  }
  if (!(p.epsilon >= 0.001 && p.epsilon <= 100.0)) return Status::InvalidArgument("epsilon must be in [0.001, 100]");
  if (!(p.delta > 0.0 && p.delta <= 0.01)) return Status::InvalidArgument("delta must be in (0, 0.01]");
  NoisyThreshold nt;
  nt.params_ = p;
  // scale = L0 / epsilon = L0 * 1e6 / round(epsilon * 1e6); epsilon is rounded
  // *down* to a millionth so the noise is never smaller than asked for.
  const auto eps_num = static_cast<std::uint64_t>(std::floor(p.epsilon * static_cast<double>(kEpsilonDen)));
  nt.scale_t_ = static_cast<std::uint64_t>(p.max_cells_per_author) * kEpsilonDen;
  nt.scale_s_ = eps_num;
  const long double l0 = p.max_cells_per_author;
  const long double b = static_cast<long double>(nt.scale_t_) / static_cast<long double>(nt.scale_s_);
  // delta' = 1 - (1 - delta)^(1/L0), computed stably as -expm1(log1p(-delta)/L0).
  const long double delta_prime = -std::expm1(std::log1p(-static_cast<long double>(p.delta)) / l0);
  const long double t = 1.0L - b * std::log(2.0L * delta_prime) + (p.min_authors - 1);
  nt.threshold_ = static_cast<double>(t);
  // Released iff value > T, i.e. value >= floor(T) + 1. A tiny upward nudge
  // keeps rounding in the long double from ever lowering the bar.
  nt.min_noisy_ = static_cast<std::int64_t>(std::floor(t + 1e-9L)) + 1;
  // P(|X| > h) = 2 p^(h+1) / (1 + p), p = exp(-1/b): smallest h with that <= 5%.
  const long double pp = std::exp(-1.0L / b);
  std::int64_t h = 0;
  while (2.0L * std::pow(pp, static_cast<long double>(h + 1)) / (1.0L + pp) > 0.05L) ++h;
  nt.ci95_ = h;
  return nt;
}

double NoisyThreshold::scale() const {
  return static_cast<double>(scale_t_) / static_cast<double>(scale_s_);
}

std::optional<std::int64_t> NoisyThreshold::Apply(std::int64_t true_count) const {
  if (true_count < params_.min_authors) return std::nullopt;  // the hard rule, before any noise
  const std::int64_t value = true_count + SampleDiscreteLaplace(scale_t_, scale_s_);
  if (value < min_noisy_) return std::nullopt;
  return value;
}

double NoisyThreshold::KeepProbability(std::int64_t c) const {
  if (c < params_.min_authors) return 0.0;
  // P(X >= k) = p^k / (1 + p) for k >= 1, and 1 - p^(1-k) / (1 + p) for k <= 0.
  const long double p = std::exp(-static_cast<long double>(scale_s_) / static_cast<long double>(scale_t_));
  const std::int64_t k = min_noisy_ - c;
  if (k >= 1) return static_cast<double>(std::pow(p, static_cast<long double>(k)) / (1.0L + p));
  return static_cast<double>(1.0L - std::pow(p, static_cast<long double>(1 - k)) / (1.0L + p));
}

std::int64_t EpsilonMicros(double epsilon) { return static_cast<std::int64_t>(std::ceil(epsilon * 1e6 - 1e-9)); }
std::int64_t DeltaPicos(double delta) { return static_cast<std::int64_t>(std::ceil(delta * 1e12 - 1e-9)); }

}  // namespace peerpulse::store
