// Differentially private release of counts: secure discrete Laplace noise and
// Laplace thresholding (design.md, promise 5).
//
// Noise is sampled exactly, with integers only, from the OS CSPRNG (the
// algorithm of Canonne, Kamath and Steinke, "The Discrete Gaussian for
// Differential Privacy", 2020, Algorithms 1 and 2): no floating-point
// log(U), so no holes in the distribution for an attacker to exploit.
//
// A cell with true count c is released iff c >= min_authors (a hard rule) and
// c + X > T, where X ~ DiscreteLaplace(scale L0/epsilon) and
//   T = 1 - (L0/epsilon) * ln(2 delta') + (min_authors - 1),
//   delta' = 1 - (1 - delta)^(1/L0),
// L0 = max_cells_per_author. The released value is c + X (always > T >= min_authors).
//
// All functions are thread-safe.
#ifndef PEERPULSE_STORE_NOISE_H_
#define PEERPULSE_STORE_NOISE_H_

#include <cstdint>
#include <optional>

#include "peerpulse/pipeline/status.h"

namespace peerpulse::store {

// Bernoulli(num/den) from the CSPRNG; requires 0 <= num <= den, den > 0.
bool SampleBernoulli(std::uint64_t num, std::uint64_t den);

// Bernoulli(exp(-num/den)) exactly; requires den > 0.
bool SampleBernoulliExp(std::uint64_t num, std::uint64_t den);

// An integer Y with P(Y = y) proportional to exp(-|y| * s / t), i.e. discrete
// Laplace with scale t/s. Requires s, t > 0 and t < 2^32.
std::int64_t SampleDiscreteLaplace(std::uint64_t t, std::uint64_t s);

struct DpParams {
  int min_authors = 11;           // hard floor on the true count
  int max_cells_per_author = 4;   // L0: an author is in at most this many cells of one table
  double epsilon = 1.0;           // per table and window
  double delta = 1e-6;            // per table and window
};

class NoisyThreshold {
 public:
  // Errors: InvalidArgument when min_authors < 1, L0 < 1, epsilon outside
  // [0.001, 100] or delta outside (0, 0.01].
  static Result<NoisyThreshold> Create(const DpParams& params);

  const DpParams& params() const { return params_; }
  // Scale of the noise, L0 / epsilon.
  double scale() const;
  // T of the formula above.
  double threshold() const { return threshold_; }
  // Smallest releasable noisy value: floor(T) + 1.
  std::int64_t min_noisy_value() const { return min_noisy_; }
  // h such that P(|X| <= h) >= 0.95: [value - h, value + h] is the 95% interval.
  std::int64_t ci95_halfwidth() const { return ci95_; }

  // The noisy count to release, or nullopt when the cell must stay withheld.
  std::optional<std::int64_t> Apply(std::int64_t true_count) const;

  // The closed-form probability that Apply(true_count) releases.
  double KeepProbability(std::int64_t true_count) const;

 private:
  NoisyThreshold() = default;
  DpParams params_;
  std::uint64_t scale_t_ = 1;  // scale = scale_t_ / scale_s_
  std::uint64_t scale_s_ = 1;
  double threshold_ = 0;
  std::int64_t min_noisy_ = 0;
  std::int64_t ci95_ = 0;
};

// Ledger units: epsilon in millionths and delta in units of 1e-12, rounded up.
std::int64_t EpsilonMicros(double epsilon);
std::int64_t DeltaPicos(double delta);

}  // namespace peerpulse::store

#endif  // PEERPULSE_STORE_NOISE_H_
