#include "peerpulse/deid/eval.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::deid {
namespace {

bool ParseSize(std::string_view s, std::size_t& out) {
  if (s.empty() || s.size() > 12) return false;
  std::size_t v = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  out = v;
  return true;
}

}  // namespace

Result<std::vector<GoldDoc>> LoadPhysioNetGold(const std::string& text_path, const std::string& phrase_path_in) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(text_path, text));
  const std::string phrase_path = phrase_path_in.empty()
                                      ? (std::filesystem::path(text_path).parent_path() / "id-phi.phrase").string()
                                      : phrase_path_in;
  std::string phrases;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(phrase_path, phrases));

  std::vector<GoldDoc> docs;
  std::map<std::string, std::size_t> index;  // "P N" -> doc
  constexpr std::string_view kStart = "START_OF_RECORD=";
  constexpr std::string_view kEnd = "||||END_OF_RECORD";
  std::size_t pos = 0;
  while ((pos = text.find(kStart, pos)) != std::string::npos) {
    const std::size_t header_end = text.find('\n', pos);
    const std::size_t end = text.find(kEnd, pos);
    if (header_end == std::string::npos || end == std::string::npos || end < header_end) {
      return Status::InvalidArgument(text_path + ": record at byte " + std::to_string(pos) + " is not terminated");
    }
    // Header: START_OF_RECORD=P||||N||||
    std::string header = text.substr(pos + kStart.size(), header_end - pos - kStart.size());
    const std::size_t bar = header.find("||||");
    if (bar == std::string::npos)
      return Status::InvalidArgument(text_path + ": bad record header at byte " + std::to_string(pos));
    std::string patient = header.substr(0, bar);
    std::string note = header.substr(bar + 4);
    if (note.size() >= 4 && note.compare(note.size() - 4, 4, "||||") == 0) note.resize(note.size() - 4);
    GoldDoc d;
    d.id = patient + " " + note;
    d.text = text.substr(header_end + 1, end - header_end - 1);
    index[d.id] = docs.size();
    docs.push_back(std::move(d));
    pos = end + kEnd.size();
  }
  if (docs.empty()) return Status::InvalidArgument(text_path + ": no START_OF_RECORD found (not a PhysioNet corpus)");

  std::istringstream in(phrases);
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    std::istringstream ls(line);
    std::string p, n, b, e, type;
    ls >> p >> n >> b >> e >> type;
    std::size_t begin = 0;
    std::size_t end = 0;
    const auto where = phrase_path + ":" + std::to_string(line_no) + ": ";
    if (type.empty() || !ParseSize(b, begin) || !ParseSize(e, end) || end <= begin) {
      return Status::InvalidArgument(where + "expected '<patient> <note> <start> <end> <type> <text>'");
    }
    const auto it = index.find(p + " " + n);
    if (it == index.end()) return Status::InvalidArgument(where + "no record " + p + " " + n);
    GoldDoc& d = docs[it->second];
    if (end > d.text.size()) return Status::InvalidArgument(where + "span ends after its note");
    d.spans.push_back(GoldSpan{begin, end, type});
  }
  return docs;
}

Result<std::vector<GoldDoc>> LoadJsonlGold(const std::string& path) {
  std::vector<GoldDoc> docs;
  simdjson::dom::parser parser;
  const Status read = ForEachFileLine(path, [&](std::string& line, std::size_t line_no, const std::string& where) {
    simdjson::dom::element doc;
    if (auto err = parser.parse(line).get(doc); err != simdjson::SUCCESS) {
      return Status::InvalidArgument(where + "malformed JSON (" + simdjson::error_message(err) + ")");
    }
    GoldDoc d;
    std::string_view sv;
    if (doc["text"].get_string().get(sv) != simdjson::SUCCESS)
      return Status::InvalidArgument(where + "missing string 'text'");
    d.text.assign(sv);
    if (doc["id"].get_string().get(sv) == simdjson::SUCCESS) {
      d.id.assign(sv);
    } else {
      d.id = "line " + std::to_string(line_no);
    }
    simdjson::dom::array spans;
    if (doc["spans"].get_array().get(spans) != simdjson::SUCCESS)
      return Status::InvalidArgument(where + "missing array 'spans'");
    for (simdjson::dom::element s : spans) {
      std::uint64_t b = 0;
      std::uint64_t e = 0;
      std::string_view type;
      if (s["start"].get_uint64().get(b) != simdjson::SUCCESS || s["end"].get_uint64().get(e) != simdjson::SUCCESS ||
          s["type"].get_string().get(type) != simdjson::SUCCESS) {
        return Status::InvalidArgument(where + "each span needs integer 'start', 'end' and string 'type'");
      }
      if (e <= b || e > d.text.size()) return Status::InvalidArgument(where + "span outside the text");
      d.spans.push_back(GoldSpan{static_cast<std::size_t>(b), static_cast<std::size_t>(e), std::string(type)});
    }
    docs.push_back(std::move(d));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return docs;
}

EvalReport Evaluate(const Deidentifier& deid, const std::vector<GoldDoc>& docs) {
  EvalReport r;
  for (const GoldDoc& d : docs) {
    ++r.docs;
    r.bytes += d.text.size();
    const auto t0 = std::chrono::steady_clock::now();
    const Redaction red = deid.Redact(d.text);
    r.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool dropped = red.dropped != DropReason::kNone;
    if (dropped) ++r.dropped_docs;
    for (const GoldSpan& g : d.spans) {
      bool hit = dropped;
      for (const Span& s : red.spans) hit = hit || (s.begin < g.end && g.begin < s.end);
      ++r.gold;
      ++r.by_type[g.type].gold;
      if (hit) {
        ++r.found;
        ++r.by_type[g.type].found;
      }
    }
    for (const Span& s : red.spans) {
      ++r.output_spans;
      bool on_gold = false;
      for (const GoldSpan& g : d.spans) on_gold = on_gold || (s.begin < g.end && g.begin < s.end);
      if (on_gold) ++r.output_spans_on_gold;
      ++r.by_rule[s.rule_id].gold;
      if (on_gold) ++r.by_rule[s.rule_id].found;
    }
  }
  return r;
}

std::string FormatEvalReport(const EvalReport& r) {
  char buf[256];
  std::string out;
  std::snprintf(buf, sizeof buf, "documents %zu (%zu dropped), %.2f MB, %.3f s de-identifying (%.1f MB/s)\n", r.docs,
                r.dropped_docs, static_cast<double>(r.bytes) / 1e6, r.seconds,
                r.seconds > 0 ? static_cast<double>(r.bytes) / 1e6 / r.seconds : 0.0);
  out += buf;
  std::snprintf(buf, sizeof buf,
                "recall %.4f (%zu of %zu gold spans)\nprecision %.4f (%zu of %zu output spans on gold)\n", r.recall(),
                r.found, r.gold, r.precision(), r.output_spans_on_gold, r.output_spans);
  out += buf;
  out += "per type:\n";
  for (const auto& [type, s] : r.by_type) {
    std::snprintf(buf, sizeof buf, "  %-20s recall %.4f (%zu/%zu)\n", type.c_str(),
                  s.gold == 0 ? 1.0 : static_cast<double>(s.found) / static_cast<double>(s.gold), s.found, s.gold);
    out += buf;
  }
  out += "output spans per rule (precision):\n";
  for (const auto& [rule, s] : r.by_rule) {
    std::snprintf(buf, sizeof buf, "  %-20s precision %.4f (%zu/%zu)\n", rule.c_str(),
                  s.gold == 0 ? 1.0 : static_cast<double>(s.found) / static_cast<double>(s.gold), s.found, s.gold);
    out += buf;
  }
  return out;
}

}  // namespace peerpulse::deid
