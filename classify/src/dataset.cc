#include "peerpulse/classify/dataset.h"

#include <simdjson.h>

#include <algorithm>
#include <set>

#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::classify {
namespace {

Status ReadCodes(simdjson::dom::element doc, const char* key, const std::set<std::string>& allowed,
                 const std::string& where, std::vector<std::string>& out) {
  simdjson::dom::element field;
  if (doc[key].get(field) != simdjson::SUCCESS || field.is_null()) return Status::Ok();
  simdjson::dom::array arr;
  if (field.get_array().get(arr) != simdjson::SUCCESS) {
    return Status::InvalidArgument(where + "'" + key + "' must be an array of codes");
  }
  for (simdjson::dom::element e : arr) {
    std::string_view code;
    if (e.get_string().get(code) != simdjson::SUCCESS) {
      return Status::InvalidArgument(where + "'" + key + "' must be an array of codes");
    }
    if (allowed.count(std::string(code)) == 0) {
      return Status::InvalidArgument(where + "'" + std::string(code.substr(0, 64)) + "' is not a " +
                                     (std::string_view(key) == "conditions" ? "condition" : "need") +
                                     " code of the taxonomy");
    }
    out.emplace_back(code);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return Status::Ok();
}

}  // namespace

Result<std::vector<LabelledPost>> LoadLabelledJsonl(const std::string& path, const Taxonomy& taxonomy) {
  std::set<std::string> conditions;
  std::set<std::string> needs;
  for (const auto& c : taxonomy.conditions) conditions.insert(c.code);
  for (const auto& n : taxonomy.needs) needs.insert(n.code);
  std::vector<LabelledPost> posts;
  simdjson::dom::parser parser;
  const Status read = ForEachFileLine(path, [&](std::string& line, std::size_t line_no, const std::string& where) {
    simdjson::dom::element doc;
    if (auto err = parser.parse(line).get(doc); err != simdjson::SUCCESS) {
      return Status::InvalidArgument(where + "malformed JSON (" + simdjson::error_message(err) + ")");
    }
    if (!doc.is_object()) return Status::InvalidArgument(where + "each line must be a JSON object");
    LabelledPost p;
    std::string_view sv;
    if (doc["text"].get_string().get(sv) != simdjson::SUCCESS) {
      return Status::InvalidArgument(where + "missing string 'text'");
    }
    p.text.assign(sv);
    if (doc["id"].get_string().get(sv) == simdjson::SUCCESS) {
      p.id.assign(sv.substr(0, 64));
    } else {
      p.id = "line " + std::to_string(line_no);
    }
    PEERPULSE_RETURN_IF_ERROR(ReadCodes(doc, "conditions", conditions, where, p.labels.conditions));
    PEERPULSE_RETURN_IF_ERROR(ReadCodes(doc, "needs", needs, where, p.labels.needs));
    simdjson::dom::element e;
    if (doc["experiencer"].get(e) == simdjson::SUCCESS && !e.is_null()) {
      if (e.get_string().get(sv) != simdjson::SUCCESS || (sv != "self" && sv != "family" && sv != "other")) {
        return Status::InvalidArgument(where + "'experiencer' must be \"self\", \"family\" or \"other\"");
      }
      p.labels.experiencer = sv == "family"  ? Experiencer::kFamily
                             : sv == "other" ? Experiencer::kOther
                                             : Experiencer::kSelf;
    }
    posts.push_back(std::move(p));
    return Status::Ok();
  });
  if (!read.ok()) return read;
  return posts;
}

std::size_t DeidentifyLabelled(const deid::Deidentifier& deid, std::vector<LabelledPost>& posts) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < posts.size(); ++i) {
    deid::Redaction r = deid.Redact(posts[i].text);
    WipeString(posts[i].text);
    if (r.dropped != deid::DropReason::kNone) continue;
    posts[i].text = std::move(r.text);
    if (kept != i) posts[kept] = std::move(posts[i]);
    ++kept;
  }
  const std::size_t dropped = posts.size() - kept;
  posts.resize(kept);
  return dropped;
}

}  // namespace peerpulse::classify
