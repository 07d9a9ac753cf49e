#include "peerpulse/deid/stream.h"

#include <simdjson.h>

#include <sstream>
#include <string>

#include "peerpulse/pipeline/json.h"

namespace peerpulse::deid {
namespace {

void WriteJson(const Redaction& r, bool explain, std::ostream& out) {
  out << "{\"text\": " << (r.dropped == DropReason::kNone ? JsonQuote(r.text) : "null")
      << ", \"dropped\": " << (r.dropped == DropReason::kNone ? "null" : JsonQuote(DropReasonName(r.dropped)));
  if (explain) {
    out << ", \"spans\": [";
    for (std::size_t i = 0; i < r.spans.size(); ++i) {
      const Span& s = r.spans[i];
      out << (i ? ", " : "") << "{\"start\": " << s.begin << ", \"end\": " << s.end
          << ", \"type\": " << JsonQuote(s.tag) << ", \"rule\": " << JsonQuote(s.rule_id)
          << ", \"evidence\": " << JsonQuote(s.evidence) << "}";
    }
    out << "]";
  }
  out << "}\n";
}

}  // namespace

Result<std::size_t> ForEachInputText(std::istream& in, std::ostream& out, bool jsonl, std::size_t max_input_bytes,
                                     const std::function<void(std::string_view text)>& each) {
  if (!jsonl) {
    std::string text;
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(in.gcount()));
      if (text.size() > max_input_bytes) {
        WipeString(text);
        return Status::ResourceExhausted("input larger than " + std::to_string(max_input_bytes) + " bytes");
      }
    }
    if (in.bad()) return Status::IoError("cannot read the input");
    each(text);
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
      each(text);
    }
    WipeString(line);
  }
  if (in.bad()) return Status::IoError("cannot read the input");
  return n;
}

Result<std::size_t> DeidStream(const Deidentifier& deid, std::istream& in, std::ostream& out,
                               const StreamOptions& options) {
  return ForEachInputText(in, out, options.jsonl, options.max_input_bytes, [&](std::string_view text) {
    Redaction r = deid.Redact(text);
    if (options.jsonl) {
      WriteJson(r, options.explain, out);
      return;
    }
    if (r.dropped != DropReason::kNone) {
      out << "(dropped: " << DropReasonName(r.dropped) << ")\n";
    } else {
      out << r.text;
      if (r.text.empty() || r.text.back() != '\n') out << '\n';
    }
    if (options.explain) {
      out << "# spans: begin end type rule evidence\n";
      for (const Span& s : r.spans) {
        out << s.begin << ' ' << s.end << ' ' << s.tag << ' ' << s.rule_id << ' ' << s.evidence << '\n';
      }
    }
  });
}

}  // namespace peerpulse::deid
