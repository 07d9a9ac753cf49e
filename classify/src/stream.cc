#include "peerpulse/classify/stream.h"

#include <simdjson.h>

#include <cstdio>

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
  if (!options.jsonl) {
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(in.gcount()));
      if (text.size() > options.max_input_bytes) {
        WipeString(text);
        return Status::ResourceExhausted("input larger than " + std::to_string(options.max_input_bytes) + " bytes");
      }
    }
    if (in.bad()) return Status::IoError("cannot read the input");
    one(text, false);
    WipeString(text);
    return std::size_t{1};
  }
  simdjson::dom::parser parser;
  std::string line;
  std::size_t n = 0;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++n;
    simdjson::dom::element doc;
    std::string_view text;
    if (auto err = parser.parse(line).get(doc); err != simdjson::SUCCESS) {
      out << "{\"error\": "
          << JsonQuote("line " + std::to_string(line_no) + ": malformed JSON (" + simdjson::error_message(err) + ")")
          << "}\n";
    } else if (doc["text"].get_string().get(text) != simdjson::SUCCESS) {
      out << "{\"error\": " << JsonQuote("line " + std::to_string(line_no) + ": no string field 'text'") << "}\n";
    } else {
      one(text, true);
    }
    WipeString(line);
  }
  if (in.bad()) return Status::IoError("cannot read the input");
  return n;
}

}  // namespace peerpulse::classify
