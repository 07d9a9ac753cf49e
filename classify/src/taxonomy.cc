#include "peerpulse/classify/taxonomy.h"

#include <set>

#include "peerpulse/classify/classifier.h"
#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/labels.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::classify {
namespace {

Status ReadCategories(const std::vector<const toml::table*>& tables,
                      std::string_view kind, std::string_view path, std::set<std::string>& codes,
                      std::vector<Category>& out) {
  for (const toml::table* t : tables) {
    Category c;
    c.line = static_cast<int>(t->source().begin.line);
    TomlReader pre(*t, path, "[[" + std::string(kind) + "]]");
    if (!pre.String("code", c.code, true)) return pre.status();
    TomlReader r(*t, path, std::string(kind) + " '" + c.code + "'");
    PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"code", "definition", "terms"}));
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
    PEERPULSE_RETURN_IF_ERROR(r.status());
    if (c.terms.empty()) {
      r.Fail(t->get("terms"), "'terms' is empty");
      return r.status();
    }
    for (const auto& term : c.terms) {
      if (Tokenize(term).empty()) {
        r.Fail(t->get("terms"), "term '" + term + "' has no words");
        return r.status();
      }
    }
    out.push_back(std::move(c));
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
  PEERPULSE_RETURN_IF_ERROR(top.CheckKeys({"taxonomy", "rules", "condition", "need"}));
  const toml::table* meta = nullptr;
  const toml::table* rules = nullptr;
  std::vector<const toml::table*> conditions;
  std::vector<const toml::table*> needs;
  top.Table("taxonomy", meta, true);
  top.Table("rules", rules, true);
  top.Tables("condition", conditions, true);
  top.Tables("need", needs, true);
  PEERPULSE_RETURN_IF_ERROR(top.status());

  TomlReader m(*meta, path, "[taxonomy]");
  PEERPULSE_RETURN_IF_ERROR(m.CheckKeys({"name", "version", "description", "cue_window"}));
  std::string description;
  std::int64_t window = tax.cue_window;
  m.String("name", tax.name, true);
  m.String("version", tax.version, true);
  m.String("description", description);
  m.Int("cue_window", window, false, 1, 20);
  PEERPULSE_RETURN_IF_ERROR(m.status());
  tax.cue_window = static_cast<int>(window);

  TomlReader r(*rules, path, "[rules]");
  PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"negation", "hypothetical", "family", "other"}));
  r.StringArray("negation", tax.negation_cues);
  r.StringArray("hypothetical", tax.hypothetical_cues);
  r.StringArray("family", tax.family_cues);
  r.StringArray("other", tax.other_cues);
  PEERPULSE_RETURN_IF_ERROR(r.status());

  std::set<std::string> codes;
  PEERPULSE_RETURN_IF_ERROR(ReadCategories(conditions, "condition", path, codes, tax.conditions));
  codes.clear();
  PEERPULSE_RETURN_IF_ERROR(ReadCategories(needs, "need", path, codes, tax.needs));
  return tax;
}

Result<Taxonomy> LoadTaxonomyFile(const std::string& path) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  return ParseTaxonomy(text, path);
}

}  // namespace peerpulse::classify
