#include "peerpulse/classify/taxonomy.h"

#include <filesystem>
#include <set>

#include "lexicon.h"
#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::classify {
namespace {

// Checks every phrase of `key` (terms or patterns) and reports the first bad
// one at the array's position.
bool CheckPhrases(TomlReader& r, const toml::table& t, std::string_view key, const std::vector<std::string>& phrases,
                  bool pattern) {
  for (const auto& phrase : phrases) {
    auto slots = internal::ParsePhrase(phrase, pattern);
    if (!slots.ok()) {
      return r.Fail(t.get(key),
                    std::string(pattern ? "pattern" : "term") + " '" + phrase + "': " + slots.status().message());
    }
  }
  return true;
}

Status ReadCategories(const std::vector<const toml::table*>& tables, std::string_view kind, std::string_view path,
                      std::vector<Category>& out) {
  std::set<std::string> codes;
  for (const toml::table* t : tables) {
    Category c;
    c.line = static_cast<int>(t->source().begin.line);
    TomlReader pre(*t, path, "[[" + std::string(kind) + "]]");
    if (!pre.String("code", c.code, true)) return pre.status();
    TomlReader r(*t, path, std::string(kind) + " '" + c.code + "'");
    PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"code", "definition", "terms", "patterns", "hints"}));
    if (!IsDimensionCode(c.code) || c.code == kUnspecifiedNeed) {
      r.Fail(t->get("code"), "'" + c.code + "' is not a valid code");
      return r.status();
    }
    if (!codes.insert(c.code).second) {
      r.Fail(t->get("code"), "duplicate code '" + c.code + "'");
      return r.status();
    }
    r.String("definition", c.definition, true);
    r.StringArray("terms", c.terms, true);
    r.StringArray("patterns", c.patterns);
    r.StringArray("hints", c.hints);
    PEERPULSE_RETURN_IF_ERROR(r.status());
    if (c.terms.empty()) {
      r.Fail(t->get("terms"), "'terms' is empty");
      return r.status();
    }
    if (!CheckPhrases(r, *t, "terms", c.terms, false) || !CheckPhrases(r, *t, "patterns", c.patterns, true) ||
        !CheckPhrases(r, *t, "hints", c.hints, true)) {
      return r.status();
    }
    out.push_back(std::move(c));
  }
  return Status::Ok();
}

Status ReadExperiencers(const std::vector<const toml::table*>& tables, std::string_view path, const toml::table& root,
                        std::vector<ExperiencerDef>& out) {
  static constexpr std::string_view kCodes[] = {"self", "family", "other"};
  out.resize(3);
  for (std::size_t i = 0; i < 3; ++i) out[i].code = std::string(kCodes[i]);
  std::set<std::string> seen;
  for (const toml::table* t : tables) {
    std::string code;
    TomlReader pre(*t, path, "[[experiencer]]");
    if (!pre.String("code", code, true)) return pre.status();
    TomlReader r(*t, path, "experiencer '" + code + "'");
    PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"code", "definition", "cues"}));
    std::size_t i = 0;
    while (i < 3 && kCodes[i] != code) ++i;
    if (i == 3) {
      r.Fail(t->get("code"), "experiencer codes are self, family and other");
      return r.status();
    }
    if (!seen.insert(code).second) {
      r.Fail(t->get("code"), "duplicate code '" + code + "'");
      return r.status();
    }
    ExperiencerDef& e = out[i];
    e.line = static_cast<int>(t->source().begin.line);
    r.String("definition", e.definition, true);
    r.StringArray("cues", e.cues, i != 0);
    PEERPULSE_RETURN_IF_ERROR(r.status());
    if (i == 0 && !e.cues.empty()) {
      r.Fail(t->get("cues"), "self takes no cues: it is the experiencer when no other cue applies");
      return r.status();
    }
    if (!CheckPhrases(r, *t, "cues", e.cues, false)) return r.status();
  }
  if (seen.size() != 3) {
    TomlReader r(root, path);
    r.Fail(root.get("experiencer"), "[[experiencer]] must define self, family and other");
    return r.status();
  }
  return Status::Ok();
}

}  // namespace

Result<Taxonomy> ParseTaxonomy(std::string_view text, std::string_view path) {
  PEERPULSE_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, path));
  Taxonomy tax;
  tax.path = std::string(path);
  tax.content_hash = Sha256Hex(text);
  TomlReader top(root, path);
  PEERPULSE_RETURN_IF_ERROR(top.CheckKeys({"taxonomy", "rules", "condition", "need", "experiencer"}));
  const toml::table* meta = nullptr;
  const toml::table* rules = nullptr;
  std::vector<const toml::table*> conditions;
  std::vector<const toml::table*> needs;
  std::vector<const toml::table*> experiencers;
  top.Table("taxonomy", meta, true);
  top.Table("rules", rules, true);
  top.Tables("condition", conditions, true);
  top.Tables("need", needs, true);
  top.Tables("experiencer", experiencers, true);
  PEERPULSE_RETURN_IF_ERROR(top.status());

  TomlReader m(*meta, path, "[taxonomy]");
  PEERPULSE_RETURN_IF_ERROR(m.CheckKeys({"name", "version", "description", "cue_window", "negation_window", "model"}));
  std::string description;
  std::int64_t window = tax.cue_window;
  std::int64_t negation_window = tax.negation_window;
  m.String("name", tax.name, true);
  m.String("version", tax.version, true);
  m.String("description", description);
  m.Int("cue_window", window, false, 1, 20);
  m.Int("negation_window", negation_window, false, 0, 20);
  m.String("model", tax.model_path);
  PEERPULSE_RETURN_IF_ERROR(m.status());
  tax.cue_window = static_cast<int>(window);
  tax.negation_window = static_cast<int>(negation_window);
  if (!tax.model_path.empty() && std::filesystem::path(tax.model_path).is_relative()) {
    tax.model_path = (std::filesystem::path(path).parent_path() / tax.model_path).lexically_normal().string();
  }

  TomlReader r(*rules, path, "[rules]");
  PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"negation", "hypothetical"}));
  r.StringArray("negation", tax.negation_cues);
  r.StringArray("hypothetical", tax.hypothetical_cues);
  PEERPULSE_RETURN_IF_ERROR(r.status());
  if (!CheckPhrases(r, *rules, "negation", tax.negation_cues, false) ||
      !CheckPhrases(r, *rules, "hypothetical", tax.hypothetical_cues, false)) {
    return r.status();
  }

  PEERPULSE_RETURN_IF_ERROR(ReadCategories(conditions, "condition", path, tax.conditions));
  PEERPULSE_RETURN_IF_ERROR(ReadCategories(needs, "need", path, tax.needs));
  PEERPULSE_RETURN_IF_ERROR(ReadExperiencers(experiencers, path, root, tax.experiencers));
  return tax;
}

Result<Taxonomy> LoadTaxonomyFile(const std::string& path) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  return ParseTaxonomy(text, path);
}

}  // namespace peerpulse::classify
