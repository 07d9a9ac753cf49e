#include "peerpulse/classify/train.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "lexicon.h"
#include "peerpulse/classify/classifier.h"

namespace peerpulse::classify {
namespace {

// xorshift64*: a fixed generator, so that training does not depend on the
// standard library's distributions.
struct Rng {
  std::uint64_t s;
  std::uint64_t Next() {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    return s * 2685821657736338717ull;
  }
  void Shuffle(std::vector<std::size_t>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[Next() % i]);
  }
};

struct Example {
  std::vector<std::uint32_t> features;  // dense indexes
  std::vector<std::uint8_t> y;          // one per label
  std::vector<std::uint8_t> vetoed;     // one per label: the negation veto forbids it
  double scale = 1;                     // FeatureScale(all features of the post)
};

struct Params {
  std::vector<double> w;  // features x labels
  std::vector<double> b;  // labels
};

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

Params Fit(const std::vector<Example>& ex, const std::vector<std::size_t>& subset, std::size_t nf, std::size_t nl,
           const TrainOptions& o) {
  Params p{std::vector<double>(nf * nl, 0.0), std::vector<double>(nl, 0.0)};
  // Class weights from this subset.
  std::vector<double> pos_weight(nl, 1.0);
  for (std::size_t j = 0; j < nl; ++j) {
    std::size_t pos = 0;
    for (const std::size_t i : subset) pos += ex[i].y[j];
    if (pos > 0) {
      pos_weight[j] =
          std::clamp(static_cast<double>(subset.size() - pos) / static_cast<double>(pos), 1.0, o.max_class_weight);
    }
  }
  Rng rng{o.seed * 0x9E3779B97F4A7C15ull + 1};
  std::vector<std::size_t> order = subset;
  std::vector<double> z(nl);
  for (int epoch = 0; epoch < o.epochs; ++epoch) {
    rng.Shuffle(order);
    const double lr = o.learning_rate / std::sqrt(1.0 + epoch);
    for (const std::size_t i : order) {
      const Example& e = ex[i];
      for (std::size_t j = 0; j < nl; ++j) z[j] = 0;
      for (const std::uint32_t f : e.features) {
        const double* row = &p.w[f * nl];
        for (std::size_t j = 0; j < nl; ++j) z[j] += row[j];
      }
      for (std::size_t j = 0; j < nl; ++j) {
        const double g = (Sigmoid(p.b[j] + z[j] * e.scale) - e.y[j]) * (e.y[j] ? pos_weight[j] : 1.0);
        p.b[j] -= lr * g;
        for (const std::uint32_t f : e.features) {
          double& w = p.w[f * nl + j];
          w -= lr * (g * e.scale + o.l2 * w);
        }
      }
    }
  }
  return p;
}

double Prob(const Params& p, const Example& e, std::size_t nl, std::size_t j) {
  double z = 0;
  for (const std::uint32_t f : e.features) z += p.w[f * nl + j];
  return Sigmoid(p.b[j] + z * e.scale);
}

struct Prf {
  double precision = 0;
  double recall = 0;
  double f1 = 0;
};

Prf Score(std::size_t tp, std::size_t fp, std::size_t fn) {
  Prf r;
  r.precision = tp + fp == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
  r.recall = tp + fn == 0 ? 0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
  r.f1 = r.precision + r.recall == 0 ? 0 : 2 * r.precision * r.recall / (r.precision + r.recall);
  return r;
}

}  // namespace

Result<TrainResult> Train(const Taxonomy& taxonomy, const std::vector<LabelledPost>& posts, const TrainOptions& o) {
  if (posts.empty()) return Status::InvalidArgument("no labelled posts to train on");
  if (o.epochs < 1 || o.epochs > 10000 || !(o.learning_rate > 0) || !(o.l2 >= 0) || o.min_count < 1 || o.folds < 0 ||
      o.folds > 100 || !(o.max_class_weight >= 1)) {
    return Status::InvalidArgument("training options out of range");
  }
  const auto label_codes = Classifier::ModelLabels(taxonomy);
  const std::size_t nl = label_codes.size();
  const std::size_t nc = taxonomy.conditions.size();
  const std::size_t nn = taxonomy.needs.size();
  std::unordered_map<std::string, std::size_t> label_index;
  for (std::size_t j = 0; j < nl; ++j) label_index[label_codes[j]] = j;

  // Analyse every post once.
  internal::Lexicon lexicon(taxonomy);
  internal::Analysis a;
  std::vector<std::vector<std::uint64_t>> hashed(posts.size());
  std::vector<Example> ex(posts.size());
  std::unordered_map<std::uint64_t, std::uint32_t> df;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    lexicon.Analyze(posts[i].text, a, internal::Lexicon::Features::kHashes);
    hashed[i] = a.features;
    ex[i].scale = internal::FeatureScale(a.features.size());
    for (const std::uint64_t f : a.features) ++df[f];
    Example& e = ex[i];
    e.y.assign(nl, 0);
    e.vetoed.assign(nl, 0);
    for (const auto& c : posts[i].labels.conditions) {
      const auto it = label_index.find("condition:" + c);
      if (it == label_index.end())
        return Status::InvalidArgument("post " + std::to_string(i + 1) + ": unknown condition code");
      e.y[it->second] = 1;
    }
    for (const auto& n : posts[i].labels.needs) {
      const auto it = label_index.find("need:" + n);
      if (it == label_index.end())
        return Status::InvalidArgument("post " + std::to_string(i + 1) + ": unknown need code");
      e.y[it->second] = 1;
    }
    if (posts[i].labels.experiencer == Experiencer::kFamily) e.y[nc + nn] = 1;
    if (posts[i].labels.experiencer == Experiencer::kOther) e.y[nc + nn + 1] = 1;
    std::vector<std::uint8_t> affirmed(nc, 0);
    std::vector<std::uint8_t> mentioned(nc, 0);
    for (const auto& m : a.mentions) {
      const std::uint32_t c = a.matches[m.match].phrase->category;
      mentioned[c] = 1;
      if (m.negation == nullptr) affirmed[c] = 1;
    }
    for (std::size_t c = 0; c < nc; ++c) e.vetoed[c] = mentioned[c] && !affirmed[c];
  }
  // Vocabulary: features in at least min_count posts, in hash order.
  std::vector<std::uint64_t> vocab;
  for (const auto& [h, n] : df) {
    if (n >= static_cast<std::uint32_t>(o.min_count)) vocab.push_back(h);
  }
  std::sort(vocab.begin(), vocab.end());
  std::unordered_map<std::uint64_t, std::uint32_t> dense;
  for (std::uint32_t k = 0; k < vocab.size(); ++k) dense[vocab[k]] = k;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    for (const std::uint64_t h : hashed[i]) {
      if (const auto it = dense.find(h); it != dense.end()) ex[i].features.push_back(it->second);
    }
  }
  const std::size_t nf = vocab.size();

  TrainReport report;
  report.posts = posts.size();
  report.features = nf;
  report.labels.resize(nl);
  for (std::size_t j = 0; j < nl; ++j) {
    report.labels[j].label = label_codes[j];
    for (const Example& e : ex) report.labels[j].positives += e.y[j];
  }

  // Cross-validation: out-of-fold probabilities, then the F1-best threshold.
  if (o.folds >= 2 && posts.size() >= static_cast<std::size_t>(o.folds)) {
    std::vector<std::size_t> order(posts.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    Rng rng{o.seed ^ 0xD1B54A32D192ED03ull};
    rng.Shuffle(order);
    std::vector<double> oof(posts.size() * nl, 0.0);
    for (int k = 0; k < o.folds; ++k) {
      std::vector<std::size_t> train;
      std::vector<std::size_t> held;
      for (std::size_t r = 0; r < order.size(); ++r) {
        (static_cast<int>(r % static_cast<std::size_t>(o.folds)) == k ? held : train).push_back(order[r]);
      }
      const Params p = Fit(ex, train, nf, nl, o);
      for (const std::size_t i : held) {
        for (std::size_t j = 0; j < nl; ++j) oof[i * nl + j] = ex[i].vetoed[j] ? 0.0 : Prob(p, ex[i], nl, j);
      }
    }
    double sum_c = 0;
    double sum_n = 0;
    for (std::size_t j = 0; j < nl; ++j) {
      LabelFit& fit = report.labels[j];
      double best_f1 = -1;
      double best_t = 0.5;
      Prf best;
      for (int step = 1; step <= 19; ++step) {
        const double t = step * 0.05;
        std::size_t tp = 0;
        std::size_t fp = 0;
        std::size_t fn = 0;
        for (std::size_t i = 0; i < posts.size(); ++i) {
          const bool pred = oof[i * nl + j] >= t;
          const bool gold = ex[i].y[j] != 0;
          tp += pred && gold;
          fp += pred && !gold;
          fn += !pred && gold;
        }
        const Prf s = Score(tp, fp, fn);
        // Ties go to the threshold nearest 0.5.
        if (s.f1 > best_f1 + 1e-12 ||
            (std::fabs(s.f1 - best_f1) <= 1e-12 && std::fabs(t - 0.5) < std::fabs(best_t - 0.5))) {
          best_f1 = s.f1;
          best_t = t;
          best = s;
        }
      }
      fit.threshold = fit.positives >= 2 ? static_cast<float>(best_t) : 0.5f;
      fit.precision = best.precision;
      fit.recall = best.recall;
      fit.f1 = best.f1;
      if (j < nc)
        sum_c += best.f1;
      else if (j < nc + nn)
        sum_n += best.f1;
    }
    report.macro_f1_conditions = sum_c / static_cast<double>(nc);
    report.macro_f1_needs = sum_n / static_cast<double>(nn);
  }

  // The final model, on every post.
  std::vector<std::size_t> all(posts.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  const Params p = Fit(ex, all, nf, nl, o);
  std::vector<ModelLabel> labels(nl);
  for (std::size_t j = 0; j < nl; ++j) {
    labels[j].code = label_codes[j];
    labels[j].bias = static_cast<float>(p.b[j]);
    labels[j].threshold = report.labels[j].threshold;
  }
  std::vector<float> weights(p.w.begin(), p.w.end());
  char opts[256];
  std::snprintf(opts, sizeof opts,
                "epochs=%d learning_rate=%g l2=%g min_count=%d folds=%d max_class_weight=%g seed=%llu posts=%zu",
                o.epochs, o.learning_rate, o.l2, o.min_count, o.folds, o.max_class_weight,
                static_cast<unsigned long long>(o.seed), posts.size());
  TrainResult result{Model(taxonomy.name, taxonomy.version, opts, std::move(labels), vocab, weights),
                     std::move(report)};
  return result;
}

std::string FormatTrainReport(const TrainReport& r) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "trained on %zu posts, %zu features\n", r.posts, r.features);
  out += line;
  if (r.macro_f1_conditions >= 0) {
    std::snprintf(line, sizeof line, "cross-validated macro-F1: conditions %.3f, needs %.3f\n", r.macro_f1_conditions,
                  r.macro_f1_needs);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-32s %9s %9s %9s %9s %9s\n", "label", "positives", "threshold", "cv_prec",
                "cv_recall", "cv_f1");
  out += line;
  for (const LabelFit& f : r.labels) {
    if (f.f1 >= 0) {
      std::snprintf(line, sizeof line, "%-32s %9d %9.2f %9.3f %9.3f %9.3f\n", f.label.c_str(), f.positives,
                    static_cast<double>(f.threshold), f.precision, f.recall, f.f1);
    } else {
      std::snprintf(line, sizeof line, "%-32s %9d %9.2f %9s %9s %9s\n", f.label.c_str(), f.positives,
                    static_cast<double>(f.threshold), "-", "-", "-");
    }
    out += line;
  }
  return out;
}

}  // namespace peerpulse::classify
