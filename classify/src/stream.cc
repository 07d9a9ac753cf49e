#include "peerpulse/classify/stream.h"

#include <cstdio>

#include "peerpulse/deid/stream.h"
#include "peerpulse/pipeline/json.h"

namespace peerpulse::classify {
namespace {

std::string Num(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4f", v);
  return b;
}

std::string JsonList(const std::vector<std::string>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + JsonQuote(v[i]);
  return s + "]";
}

std::string Joined(const std::vector<std::string>& v) {
  if (v.empty()) return "-";
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : " ") + x;
  return s;
}

void WriteText(const Explanation& ex, bool explain, std::ostream& out) {
  out << "conditions: " << Joined(ex.labels.conditions) << " | needs: " << Joined(ex.labels.needs)
      << " | experiencer: " << ExperiencerCode(ex.labels.experiencer) << '\n';
  if (!explain) return;
  for (const LabelExplanation& d : ex.details) {
    out << "\n" << d.label << (d.assigned ? "  assigned" : "  not assigned");
    if (d.probability >= 0) out << "  p=" << Num(d.probability) << " threshold=" << Num(d.threshold);
    out << '\n';
    for (const auto& r : d.rules) out << "  rule: " << r << '\n';
    for (const auto& [name, w] : d.top_features) out << "  " << (w >= 0 ? "+" : "") << Num(w) << "  " << name << '\n';
  }
}

void WriteJson(const Explanation& ex, bool explain, std::ostream& out) {
  out << "{\"conditions\": " << JsonList(ex.labels.conditions) << ", \"needs\": " << JsonList(ex.labels.needs)
      << ", \"experiencer\": " << JsonQuote(ExperiencerCode(ex.labels.experiencer)) << ", \"dropped\": null";
  if (explain) {
    out << ", \"explain\": [";
    for (std::size_t i = 0; i < ex.details.size(); ++i) {
      const LabelExplanation& d = ex.details[i];
      out << (i ? ", " : "") << "{\"label\": " << JsonQuote(d.label)
          << ", \"assigned\": " << (d.assigned ? "true" : "false");
      if (d.probability >= 0)
        out << ", \"probability\": " << Num(d.probability) << ", \"threshold\": " << Num(d.threshold);
      out << ", \"rules\": " << JsonList(d.rules) << ", \"features\": [";
      for (std::size_t k = 0; k < d.top_features.size(); ++k) {
        out << (k ? ", " : "") << "{\"name\": " << JsonQuote(d.top_features[k].first)
            << ", \"weight\": " << Num(d.top_features[k].second) << "}";
      }
      out << "]}";
    }
    out << "]";
  }
  out << "}\n";
}

}  // namespace

Result<std::size_t> ClassifyStream(const deid::Deidentifier& deid, const Classifier& classifier, std::istream& in,
                                   std::ostream& out, const ClassifyStreamOptions& options) {
  const auto one = [&](std::string_view text, bool jsonl) {
    deid::Redaction r = deid.Redact(text);
    if (r.dropped != deid::DropReason::kNone) {
      if (jsonl) {
        out << "{\"conditions\": [], \"needs\": [], \"experiencer\": null, \"dropped\": "
            << JsonQuote(deid::DropReasonName(r.dropped)) << "}\n";
      } else {
        out << "(dropped: " << deid::DropReasonName(r.dropped) << ")\n";
      }
      return;
    }
    const Explanation ex = classifier.Explain(r.text, options.explain ? options.top_features : 0);
    WipeString(r.text);
    if (jsonl) {
      WriteJson(ex, options.explain, out);
    } else {
      WriteText(ex, options.explain, out);
    }
  };
  return deid::ForEachInputText(in, out, options.jsonl, options.max_input_bytes,
                                [&](std::string_view text) { one(text, options.jsonl); });
}

}  // namespace peerpulse::classify
