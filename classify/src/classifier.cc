#include "peerpulse/classify/classifier.h"

#include <algorithm>
#include <cmath>

#include "lexicon.h"
#include "peerpulse/pipeline/crypto.h"

namespace peerpulse::classify {
namespace {

using internal::Analysis;
using internal::Kind;
using internal::Match;
using internal::Mention;

double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::string Words(const Analysis& a, const Match& m) {
  std::string s;
  for (std::uint32_t i = m.begin; i < m.end; ++i) {
    if (!s.empty()) s += ' ';
    s += a.tokens[i].text;
  }
  return s;
}

std::string Describe(const Analysis& a, const Match& m, std::string_view what) {
  const bool literal = Words(a, m) == m.phrase->source;
  std::string s = std::string(what) + " '" + m.phrase->source + "'";
  if (!literal) s += " matched '" + Words(a, m) + "'";
  s += " (words " + std::to_string(m.begin + 1) + "-" + std::to_string(m.end) + ")";
  return s;
}

// Per-condition rule summary of one analysis.
struct ConditionRules {
  bool affirmed = false;  // some mention is not negated
  bool mentioned = false;
};

void Dedup(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

std::vector<std::string> Tokenize(std::string_view text) {
  std::vector<internal::Token> toks;
  internal::TokenizeInto(text, toks);
  std::vector<std::string> out;
  out.reserve(toks.size());
  for (auto& t : toks) out.push_back(std::move(t.text));
  return out;
}

struct Classifier::Index {
  explicit Index(const Taxonomy& t) : lexicon(t) {}
  internal::Lexicon lexicon;
};

std::vector<std::string> Classifier::ModelLabels(const Taxonomy& taxonomy) {
  std::vector<std::string> out;
  for (const auto& c : taxonomy.conditions) out.push_back("condition:" + c.code);
  for (const auto& n : taxonomy.needs) out.push_back("need:" + n.code);
  out.emplace_back("experiencer:family");
  out.emplace_back("experiencer:other");
  return out;
}

Classifier::Classifier(Taxonomy taxonomy, std::shared_ptr<const Model> model)
    : taxonomy_(std::move(taxonomy)), model_(std::move(model)), index_(std::make_unique<Index>(taxonomy_)) {
  content_hash_ = model_ == nullptr
                      ? taxonomy_.content_hash
                      : Sha256Hex("taxonomy " + taxonomy_.content_hash + "\nmodel " + model_->content_hash() + "\n");
}

Classifier::~Classifier() = default;

Result<std::unique_ptr<Classifier>> Classifier::Create(Taxonomy taxonomy, std::shared_ptr<const Model> model) {
  if (model != nullptr) {
    const auto want = ModelLabels(taxonomy);
    std::vector<std::string> have;
    for (const auto& l : model->labels()) have.push_back(l.code);
    if (have != want) {
      return Status::InvalidConfig("model for taxonomy " + model->taxonomy_name() + " " + model->taxonomy_version() +
                                   " does not have this taxonomy's labels (" + taxonomy.name + " " + taxonomy.version +
                                   "); retrain it with 'peerpulse train'");
    }
  }
  return std::unique_ptr<Classifier>(new Classifier(std::move(taxonomy), std::move(model)));
}

Result<std::unique_ptr<Classifier>> LoadClassifier(const std::string& path, const std::string& model_override,
                                                   bool use_model) {
  auto tax = LoadTaxonomyFile(path);
  if (!tax.ok()) {
    return tax.status().code() == StatusCode::kInvalidConfig ? tax.status()
                                                             : Status::InvalidConfig(tax.status().message());
  }
  std::shared_ptr<const Model> model;
  const std::string model_path = model_override.empty() ? tax->model_path : model_override;
  if (use_model && !model_path.empty()) {
    auto m = Model::LoadFile(model_path);
    if (!m.ok()) return m.status();
    model = std::make_shared<const Model>(std::move(m).value());
  }
  return Classifier::Create(std::move(tax).value(), std::move(model));
}

namespace {

// The shared decision: fills `labels` (and, when `probs` is given, the
// per-label probabilities) from an analysis.
void Decide(const Taxonomy& tax, const Model* model, const Analysis& a, Labels& labels, std::vector<double>* probs,
            std::vector<ConditionRules>& cond) {
  cond.assign(tax.conditions.size(), ConditionRules{});
  bool family = false;
  bool other = false;
  for (const Mention& m : a.mentions) {
    const Match& match = a.matches[m.match];
    ConditionRules& r = cond[match.phrase->category];
    r.mentioned = true;
    if (m.negation != nullptr) continue;
    r.affirmed = true;
    if (m.experiencer != nullptr) {
      (m.experiencer->phrase->kind == Kind::kFamily ? family : other) = true;
    }
  }
  if (model == nullptr) {
    for (std::size_t c = 0; c < cond.size(); ++c) {
      if (cond[c].affirmed) labels.conditions.push_back(tax.conditions[c].code);
    }
    for (const Match& m : a.matches) {
      if (m.phrase->kind == Kind::kNeed && !m.phrase->hint) labels.needs.push_back(tax.needs[m.phrase->category].code);
    }
    Dedup(labels.conditions);
    Dedup(labels.needs);
    labels.experiencer = family ? Experiencer::kFamily : other ? Experiencer::kOther : Experiencer::kSelf;
    return;
  }
  const auto& ml = model->labels();
  const std::size_t nl = ml.size();
  double scores[128];
  std::vector<double> big;
  double* s = scores;
  if (nl > 128) {
    big.resize(nl);
    s = big.data();
  }
  for (std::size_t j = 0; j < nl; ++j) s[j] = 0;
  for (const std::uint64_t f : a.features) {
    const float* w = model->Weights(f);
    if (w == nullptr) continue;
    for (std::size_t j = 0; j < nl; ++j) s[j] += w[j];
  }
  const double scale = internal::FeatureScale(a.features.size());
  for (std::size_t j = 0; j < nl; ++j) s[j] = ml[j].bias + s[j] * scale;
  if (probs != nullptr) probs->resize(nl);
  const auto p = [&](std::size_t j) {
    const double v = Sigmoid(s[j]);
    if (probs != nullptr) (*probs)[j] = v;
    return v;
  };
  const std::size_t nc = tax.conditions.size();
  const std::size_t nn = tax.needs.size();
  for (std::size_t c = 0; c < nc; ++c) {
    const bool vetoed = cond[c].mentioned && !cond[c].affirmed;
    if (p(c) >= ml[c].threshold && !vetoed) labels.conditions.push_back(tax.conditions[c].code);
  }
  for (std::size_t n = 0; n < nn; ++n) {
    if (p(nc + n) >= ml[nc + n].threshold) labels.needs.push_back(tax.needs[n].code);
  }
  Dedup(labels.conditions);  // Labels are sorted (taxonomy order is not)
  Dedup(labels.needs);
  const std::size_t jf = nc + nn;
  const std::size_t jo = jf + 1;
  const double pf = p(jf);
  const double po = p(jo);
  const bool f_ok = pf >= ml[jf].threshold;
  const bool o_ok = po >= ml[jo].threshold;
  if (f_ok && (!o_ok || pf / ml[jf].threshold >= po / ml[jo].threshold)) {
    labels.experiencer = Experiencer::kFamily;
  } else if (o_ok) {
    labels.experiencer = Experiencer::kOther;
  }
}

}  // namespace

Labels Classifier::ClassifyText(std::string_view text) const {
  thread_local Analysis a;
  thread_local std::vector<ConditionRules> cond;
  index_->lexicon.Analyze(
      text, a, model_ == nullptr ? internal::Lexicon::Features::kNone : internal::Lexicon::Features::kHashes);
  Labels labels;
  Decide(taxonomy_, model_.get(), a, labels, nullptr, cond);
  return labels;
}

Explanation Classifier::Explain(std::string_view text, std::size_t top_features) const {
  Analysis a;
  index_->lexicon.Analyze(text, a, internal::Lexicon::Features::kNamed);
  Explanation ex;
  std::vector<double> probs;
  std::vector<ConditionRules> cond;
  Decide(taxonomy_, model_.get(), a, ex.labels, &probs, cond);

  const auto labels = ModelLabels(taxonomy_);
  const std::size_t nc = taxonomy_.conditions.size();
  const std::size_t nn = taxonomy_.needs.size();
  std::vector<LabelExplanation> details(labels.size());
  for (std::size_t j = 0; j < labels.size(); ++j) details[j].label = labels[j];

  // Rule evidence.
  for (const Mention& m : a.mentions) {
    const Match& match = a.matches[m.match];
    auto& d = details[match.phrase->category];
    d.rules.push_back(Describe(a, match, "term"));
    if (m.negation != nullptr) {
      d.rules.push_back(
          Describe(a, *m.negation, m.negation->phrase->kind == Kind::kNegation ? "negated by" : "hypothetical by"));
    } else if (m.experiencer != nullptr) {
      const bool fam = m.experiencer->phrase->kind == Kind::kFamily;
      details[nc + nn + (fam ? 0 : 1)].rules.push_back(Describe(a, *m.experiencer, fam ? "family cue" : "other cue") +
                                                       " before " + Describe(a, match, "term"));
    }
  }
  for (const Match& m : a.matches) {
    const Kind k = m.phrase->kind;
    if (k != Kind::kNeed && !(k == Kind::kCondition && m.phrase->hint)) continue;
    const std::size_t j = (k == Kind::kNeed ? nc : 0) + m.phrase->category;
    const auto& category =
        k == Kind::kNeed ? taxonomy_.needs[m.phrase->category] : taxonomy_.conditions[m.phrase->category];
    const bool pattern =
        std::find(category.patterns.begin(), category.patterns.end(), m.phrase->source) != category.patterns.end();
    details[j].rules.push_back(Describe(a, m, m.phrase->hint ? "hint" : pattern ? "pattern" : "term"));
  }
  for (std::size_t c = 0; c < nc; ++c) {
    if (cond[c].mentioned && !cond[c].affirmed) {
      details[c].rules.emplace_back("veto: every mention is negated or hypothetical");
    }
  }

  // Assigned flags.
  for (const auto& code : ex.labels.conditions)
    details[static_cast<std::size_t>(std::find(labels.begin(), labels.end(), "condition:" + code) - labels.begin())]
        .assigned = true;
  for (const auto& code : ex.labels.needs)
    details[static_cast<std::size_t>(std::find(labels.begin(), labels.end(), "need:" + code) - labels.begin())]
        .assigned = true;
  if (ex.labels.experiencer == Experiencer::kFamily) details[nc + nn].assigned = true;
  if (ex.labels.experiencer == Experiencer::kOther) details[nc + nn + 1].assigned = true;

  // Model contributions.
  if (model_ != nullptr) {
    const auto& ml = model_->labels();
    const double scale = internal::FeatureScale(a.features.size());
    for (std::size_t j = 0; j < labels.size(); ++j) {
      auto& d = details[j];
      d.probability = probs[j];
      d.threshold = ml[j].threshold;
      std::vector<std::pair<std::string, double>> contrib;
      contrib.emplace_back("bias", ml[j].bias);
      for (std::size_t k = 0; k < a.features.size(); ++k) {
        const float* w = model_->Weights(a.features[k]);
        if (w != nullptr && w[j] != 0.0f) contrib.emplace_back(a.feature_names[k], w[j] * scale);
      }
      std::stable_sort(contrib.begin(), contrib.end(),
                       [](const auto& x, const auto& y) { return std::fabs(x.second) > std::fabs(y.second); });
      if (contrib.size() > top_features) contrib.resize(top_features);
      d.top_features = std::move(contrib);
    }
  }
  for (auto& d : details) {
    const bool near = d.probability >= 0 && d.probability >= d.threshold / 2;
    if (d.assigned || !d.rules.empty() || near) ex.details.push_back(std::move(d));
  }
  return ex;
}

}  // namespace peerpulse::classify
