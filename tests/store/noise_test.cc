// The privacy test plan for the noise: the hard floor, the noise distribution
// and the keep-probability curve against their closed forms.
#include "peerpulse/store/noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

namespace peerpulse::store {
namespace {

TEST(NoiseTest, ThresholdMatchesTheFormula) {
  DpParams p;  // min_authors 11, L0 4, epsilon 1, delta 1e-6
  const auto nt = NoisyThreshold::Create(p).value();
  const double dp = 1 - std::pow(1 - 1e-6, 1.0 / 4);
  EXPECT_NEAR(nt.threshold(), 1 - 4.0 * std::log(2 * dp) + 10, 1e-9);
  EXPECT_EQ(nt.min_noisy_value(), static_cast<std::int64_t>(std::floor(nt.threshold())) + 1);
  EXPECT_DOUBLE_EQ(nt.scale(), 4.0);
  EXPECT_FALSE(NoisyThreshold::Create(DpParams{11, 2, 0.0, 1e-6}).ok());
  EXPECT_FALSE(NoisyThreshold::Create(DpParams{11, 2, 1.0, 0.0}).ok());
  EXPECT_FALSE(NoisyThreshold::Create(DpParams{0, 2, 1.0, 1e-6}).ok());
}

TEST(NoiseTest, NoReleaseForTrueCountsZeroToTenOverManyDraws) {
  // The loosest settings a policy allows: almost no noise, lowest threshold.
  const auto loose = NoisyThreshold::Create(DpParams{11, 1, 100.0, 0.01}).value();
  // And settings with heavy noise, where a large positive draw is common.
  const auto noisy = NoisyThreshold::Create(DpParams{11, 1, 0.01, 0.01}).value();
  for (std::int64_t c = 0; c <= 10; ++c) {
    for (int i = 0; i < 20000; ++i) {
      ASSERT_FALSE(loose.Apply(c).has_value()) << c;
      ASSERT_FALSE(noisy.Apply(c).has_value()) << c;
    }
    EXPECT_EQ(loose.KeepProbability(c), 0.0);
  }
}

TEST(NoiseTest, DiscreteLaplaceMatchesItsDistribution) {
  // Scale 2 (t/s = 2/1): P(x) = (1-p)/(1+p) p^|x| with p = exp(-1/2).
  const double p = std::exp(-0.5);
  constexpr int kDraws = 200000;
  std::map<std::int64_t, int> hist;
  double sum = 0;
  double sumsq = 0;
  for (int i = 0; i < kDraws; ++i) {
    const std::int64_t x = SampleDiscreteLaplace(2, 1);
    ++hist[x];
    sum += static_cast<double>(x);
    sumsq += static_cast<double>(x * x);
  }
  for (std::int64_t x = -6; x <= 6; ++x) {
    const double expected = (1 - p) / (1 + p) * std::pow(p, std::abs(static_cast<double>(x)));
    const double got = static_cast<double>(hist[x]) / kDraws;
    const double sd = std::sqrt(expected * (1 - expected) / kDraws);
    EXPECT_NEAR(got, expected, 5 * sd) << "x = " << x;
  }
  const double var = 2 * p / ((1 - p) * (1 - p));
  EXPECT_NEAR(sum / kDraws, 0.0, 5 * std::sqrt(var / kDraws));
  EXPECT_NEAR(sumsq / kDraws, var, 0.05 * var);
}

TEST(NoiseTest, FractionalScaleAndBernoulliExp) {
  // Scale 1/3 (t=1, s=3): P(0) = (1-p)/(1+p), p = exp(-3).
  const double p = std::exp(-3.0);
  int zeros = 0;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) zeros += SampleDiscreteLaplace(1, 3) == 0 ? 1 : 0;
  const double expected = (1 - p) / (1 + p);
  EXPECT_NEAR(static_cast<double>(zeros) / kDraws, expected, 5 * std::sqrt(expected * (1 - expected) / kDraws));
  // Bernoulli(exp(-5/2)).
  int ones = 0;
  for (int i = 0; i < kDraws; ++i) ones += SampleBernoulliExp(5, 2) ? 1 : 0;
  const double e = std::exp(-2.5);
  EXPECT_NEAR(static_cast<double>(ones) / kDraws, e, 5 * std::sqrt(e * (1 - e) / kDraws));
}

TEST(NoiseTest, EmpiricalKeepProbabilityFollowsTheClosedForm) {
  const auto nt = NoisyThreshold::Create(DpParams{11, 2, 1.0, 1e-6}).value();  // scale 2, T ~ 38.6
  constexpr int kDraws = 20000;
  for (std::int64_t c = 11; c <= 60; c += 3) {
    int kept = 0;
    for (int i = 0; i < kDraws; ++i) {
      const auto v = nt.Apply(c);
      if (v.has_value()) {
        ++kept;
        ASSERT_GE(*v, nt.min_noisy_value());
      }
    }
    const double expected = nt.KeepProbability(c);
    const double sd = std::sqrt(std::max(expected * (1 - expected), 1e-12) / kDraws);
    EXPECT_NEAR(static_cast<double>(kept) / kDraws, expected, 5 * sd + 1e-4) << "count " << c;
  }
  // Around the threshold the curve is 1/2-ish and far above it is ~1.
  EXPECT_GT(nt.KeepProbability(nt.min_noisy_value() + 20), 0.99);
  EXPECT_LT(nt.KeepProbability(nt.min_noisy_value() - 20), 0.01);
}

TEST(NoiseTest, Ci95HalfwidthCoversNinetyFivePercent) {
  const auto nt = NoisyThreshold::Create(DpParams{11, 2, 1.0, 1e-6}).value();
  const std::int64_t h = nt.ci95_halfwidth();
  int inside = 0;
  constexpr int kDraws = 50000;
  for (int i = 0; i < kDraws; ++i) inside += std::abs(SampleDiscreteLaplace(2000000, 1000000)) <= h ? 1 : 0;
  EXPECT_GE(static_cast<double>(inside) / kDraws, 0.945);
  // And h is the smallest such: h - 1 covers less than 95% (closed form).
  const double p = std::exp(-0.5);
  EXPECT_GT(2 * std::pow(p, static_cast<double>(h)) / (1 + p), 0.05);
}

}  // namespace
}  // namespace peerpulse::store
