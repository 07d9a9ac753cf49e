#include "peerpulse/classify/eval.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "peerpulse/pipeline/json.h"

namespace peerpulse::classify {
namespace {

class DimensionCounter {
 public:
  explicit DimensionCounter(const std::vector<Category>& categories) {
    for (const auto& c : categories) {
      index_[c.code] = score_.labels.size();
      score_.labels.push_back(LabelScore{c.code});
    }
  }

  void Add(const std::vector<std::string>& gold, const std::vector<std::string>& pred) {
    std::vector<std::string> missed;
    std::vector<std::string> spurious;
    // Codes outside the taxonomy (LoadLabelledJsonl refuses them) are not counted.
    for (const auto& g : gold) {
      const auto it = index_.find(g);
      if (it == index_.end()) continue;
      const bool hit = std::binary_search(pred.begin(), pred.end(), g);
      (hit ? score_.labels[it->second].tp : score_.labels[it->second].fn)++;
      if (!hit) missed.push_back(g);
    }
    for (const auto& p : pred) {
      const auto it = index_.find(p);
      if (it == index_.end() || std::binary_search(gold.begin(), gold.end(), p)) continue;
      score_.labels[it->second].fp++;
      spurious.push_back(p);
    }
    if (missed.empty()) missed.emplace_back("(none)");
    if (spurious.empty()) spurious.emplace_back("(none)");
    if (missed[0] == "(none)" && spurious[0] == "(none)") return;
    for (const auto& m : missed) {
      for (const auto& s : spurious) ++pairs_[{m, s}];
    }
  }

  DimensionScore Finish() {
    std::size_t tp = 0;
    std::size_t fp = 0;
    std::size_t fn = 0;
    double sum = 0;
    std::size_t counted = 0;
    for (LabelScore& l : score_.labels) {
      l.precision = l.tp + l.fp == 0 ? 0 : static_cast<double>(l.tp) / static_cast<double>(l.tp + l.fp);
      l.recall = l.tp + l.fn == 0 ? 0 : static_cast<double>(l.tp) / static_cast<double>(l.tp + l.fn);
      l.f1 = l.precision + l.recall == 0 ? 0 : 2 * l.precision * l.recall / (l.precision + l.recall);
      tp += l.tp;
      fp += l.fp;
      fn += l.fn;
      if (l.tp + l.fp + l.fn > 0) {
        sum += l.f1;
        ++counted;
      }
    }
    score_.macro_f1 = counted == 0 ? 0 : sum / static_cast<double>(counted);
    score_.micro_f1 = tp == 0 ? 0 : 2.0 * static_cast<double>(tp) / static_cast<double>(2 * tp + fp + fn);
    for (const auto& [k, n] : pairs_) score_.confusions.push_back(Confusion{k.first, k.second, n});
    std::stable_sort(score_.confusions.begin(), score_.confusions.end(),
                     [](const Confusion& a, const Confusion& b) { return a.count > b.count; });
    if (score_.confusions.size() > 10) score_.confusions.resize(10);
    return score_;
  }

 private:
  std::map<std::string, std::size_t> index_;
  std::map<std::pair<std::string, std::string>, std::size_t> pairs_;
  DimensionScore score_;
};

std::size_t ExpIndex(Experiencer e) { return e == Experiencer::kSelf ? 0 : e == Experiencer::kFamily ? 1 : 2; }

std::string Fmt(const char* f, double v) {
  char b[32];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

void TextDimension(std::string& out, const char* title, const DimensionScore& d) {
  char line[256];
  std::snprintf(line, sizeof line, "\n%-20s %5s %5s %5s %9s %9s %7s\n", title, "tp", "fp", "fn", "precision", "recall",
                "f1");
  out += line;
  for (const LabelScore& l : d.labels) {
    std::snprintf(line, sizeof line, "%-20s %5zu %5zu %5zu %9.3f %9.3f %7.3f\n", l.code.c_str(), l.tp, l.fp, l.fn,
                  l.precision, l.recall, l.f1);
    out += line;
  }
  out += "macro-F1 " + Fmt("%.3f", d.macro_f1) + ", micro-F1 " + Fmt("%.3f", d.micro_f1) + "\n";
  if (!d.confusions.empty()) {
    out += "confusions (missed gold -> spurious prediction, same post):\n";
    for (const Confusion& c : d.confusions) {
      out += "  " + c.gold + " -> " + c.predicted + ": " + std::to_string(c.count) + "\n";
    }
  }
}

void JsonDimension(std::string& out, const DimensionScore& d) {
  out += "{\"macro_f1\":" + Fmt("%.4f", d.macro_f1) + ",\"micro_f1\":" + Fmt("%.4f", d.micro_f1) + ",\"labels\":[";
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    const LabelScore& l = d.labels[i];
    if (i > 0) out += ',';
    out += "{\"code\":" + JsonQuote(l.code) + ",\"tp\":" + std::to_string(l.tp) + ",\"fp\":" + std::to_string(l.fp) +
           ",\"fn\":" + std::to_string(l.fn) + ",\"precision\":" + Fmt("%.4f", l.precision) +
           ",\"recall\":" + Fmt("%.4f", l.recall) + ",\"f1\":" + Fmt("%.4f", l.f1) + "}";
  }
  out += "],\"confusions\":[";
  for (std::size_t i = 0; i < d.confusions.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"gold\":" + JsonQuote(d.confusions[i].gold) + ",\"predicted\":" + JsonQuote(d.confusions[i].predicted) +
           ",\"count\":" + std::to_string(d.confusions[i].count) + "}";
  }
  out += "]}";
}

}  // namespace

ClassifyEvalReport EvaluateClassifier(const Classifier& classifier, const std::vector<LabelledPost>& posts) {
  ClassifyEvalReport r;
  r.classifier = classifier.model() == nullptr
                     ? "lexicon rules"
                     : "lexicon rules + model " + classifier.model()->content_hash().substr(0, 12);
  DimensionCounter conditions(classifier.taxonomy().conditions);
  DimensionCounter needs(classifier.taxonomy().needs);
  std::size_t exp_ok = 0;
  for (const LabelledPost& p : posts) {
    const Labels pred = classifier.ClassifyText(p.text);
    conditions.Add(p.labels.conditions, pred.conditions);
    needs.Add(p.labels.needs, pred.needs);
    ++r.posts;
    const bool exp_match = pred.experiencer == p.labels.experiencer;
    if (!p.labels.conditions.empty()) {
      ++r.experiencer_posts;
      ++r.experiencer[ExpIndex(p.labels.experiencer)][ExpIndex(pred.experiencer)];
      exp_ok += exp_match;
    }
    if (pred.conditions == p.labels.conditions && pred.needs == p.labels.needs &&
        (exp_match || p.labels.conditions.empty())) {
      ++r.exact;
    }
  }
  r.conditions = conditions.Finish();
  r.needs = needs.Finish();
  r.experiencer_accuracy =
      r.experiencer_posts == 0 ? 0 : static_cast<double>(exp_ok) / static_cast<double>(r.experiencer_posts);
  return r;
}

std::string FormatClassifyEval(const ClassifyEvalReport& r, bool json) {
  static constexpr const char* kExp[] = {"self", "family", "other"};
  std::string out;
  if (json) {
    out += "{\"classifier\":" + JsonQuote(r.classifier) + ",\"posts\":" + std::to_string(r.posts) +
           ",\"exact_match\":" + std::to_string(r.exact) + ",\"conditions\":";
    JsonDimension(out, r.conditions);
    out += ",\"needs\":";
    JsonDimension(out, r.needs);
    out += ",\"experiencer\":{\"posts\":" + std::to_string(r.experiencer_posts) +
           ",\"accuracy\":" + Fmt("%.4f", r.experiencer_accuracy) + ",\"confusion\":{";
    for (int g = 0; g < 3; ++g) {
      if (g > 0) out += ',';
      out += std::string("\"") + kExp[g] + "\":{";
      for (int p = 0; p < 3; ++p) {
        if (p > 0) out += ',';
        out += std::string("\"") + kExp[p] + "\":" + std::to_string(r.experiencer[g][p]);
      }
      out += '}';
    }
    out += "}}}\n";
    return out;
  }
  out += "classifier: " + r.classifier + "\n";
  out += "posts: " + std::to_string(r.posts) + ", all labels right: " + std::to_string(r.exact) + "\n";
  TextDimension(out, "condition", r.conditions);
  TextDimension(out, "need", r.needs);
  out += "\nexperiencer (posts with a gold condition: " + std::to_string(r.experiencer_posts) + "), accuracy " +
         Fmt("%.3f", r.experiencer_accuracy) + "\n";
  char line[128];
  std::snprintf(line, sizeof line, "%-12s %7s %7s %7s\n", "gold\\pred", "self", "family", "other");
  out += line;
  for (int g = 0; g < 3; ++g) {
    std::snprintf(line, sizeof line, "%-12s %7zu %7zu %7zu\n", kExp[g], r.experiencer[g][0], r.experiencer[g][1],
                  r.experiencer[g][2]);
    out += line;
  }
  return out;
}

}  // namespace peerpulse::classify
