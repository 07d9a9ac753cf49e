#include "peerpulse/deid/policy.h"

#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>

#include "ascii.h"
#include "detectors.h"
#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::deid {
namespace {

constexpr int kMaxExtendsDepth = 8;

bool IsRuleId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) return false;
  }
  return true;
}

bool IsTag(std::string_view tag) {
  if (tag.empty() || tag.size() > 32) return false;
  for (const char c : tag) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string UpperTag(std::string_view id) {
  std::string t;
  for (const char c : id) t.push_back(c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  return t;
}

int LineOf(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

std::string ResolveNear(std::string_view policy_path, const std::string& p) {
  if (p.empty() || std::filesystem::path(p).is_absolute()) return p;
  return (std::filesystem::path(std::string(policy_path)).parent_path() / p).lexically_normal().string();
}

Status ParseRelease(const toml::table& t, std::string_view path, ReleaseSettings& out) {
  TomlReader r(t, path, "[release]");
  PEERPULSE_RETURN_IF_ERROR(r.CheckKeys(
      {"min_authors", "max_cells_per_author", "epsilon", "delta", "epsilon_cap", "delta_cap", "grace_days"}));
  std::int64_t min_authors = out.min_authors;
  std::int64_t l0 = out.max_cells_per_author;
  std::int64_t grace = out.grace_days;
  r.Int("min_authors", min_authors, false, 11, 1000000);  // 11 is the design's floor
  r.Int("max_cells_per_author", l0, false, 1, 1000);
  r.Int("grace_days", grace, false, 0, 365);
  r.Double("epsilon", out.epsilon);
  r.Double("delta", out.delta);
  r.Double("epsilon_cap", out.epsilon_cap);
  r.Double("delta_cap", out.delta_cap);
  PEERPULSE_RETURN_IF_ERROR(r.status());
  if (!(out.epsilon >= 0.001 && out.epsilon <= 100.0)) {
    r.Fail(t.get("epsilon"), "epsilon must be between 0.001 and 100");
  } else if (!(out.delta > 0.0 && out.delta <= 0.01)) {
    r.Fail(t.get("delta"), "delta must be > 0 and <= 0.01");
  } else if (!(out.epsilon_cap >= out.epsilon)) {
    r.Fail(t.get("epsilon_cap"), "epsilon_cap must be at least epsilon");
  } else if (!(out.delta_cap >= out.delta && out.delta_cap < 1.0)) {
    r.Fail(t.get("delta_cap"), "delta_cap must be at least delta and below 1");
  }
  PEERPULSE_RETURN_IF_ERROR(r.status());
  out.min_authors = static_cast<int>(min_authors);
  out.max_cells_per_author = static_cast<int>(l0);
  out.grace_days = static_cast<int>(grace);
  return Status::Ok();
}

Result<Rule> ParseRule(const toml::table& t, std::string_view path) {
  Rule rule;
  rule.line = LineOf(t);
  rule.file = std::string(path);
  TomlReader pre(t, path, "[[rule]]");
  if (!pre.String("id", rule.id, true)) return pre.status();
  if (!IsRuleId(rule.id)) {
    return Status::InvalidConfig(pre.Where(t.get("id")) + ": rule id '" + rule.id +
                                 "' must be 1-64 characters of a-z, 0-9, '-' or '_'");
  }
  TomlReader r(t, path, "rule '" + rule.id + "'");
  // clang-format off
  PEERPULSE_RETURN_IF_ERROR(
      r.CheckKeys({"id", "detector", "pattern", "action", "tag", "case_insensitive", "description", "validator",
                   "context_before", "context_not_before", "context_not_after", "context_window", "generalize",
                   "key_file", "names_file", "words_file", "given_names_file", "places_file", "countries", "exclude",
                   "every_occurrence"}));
  // clang-format on
  std::string action = "tag";
  std::string description;
  std::int64_t window = rule.context_window;
  r.String("detector", rule.detector, true);
  r.String("pattern", rule.pattern);
  r.String("action", action);
  r.String("tag", rule.tag);
  r.Bool("case_insensitive", rule.case_insensitive);
  r.String("description", description);
  r.String("validator", rule.validator);
  r.StringArray("context_before", rule.context_before);
  r.StringArray("context_not_before", rule.context_not_before);
  r.StringArray("context_not_after", rule.context_not_after);
  r.StringArray("exclude", rule.exclude);
  r.Bool("every_occurrence", rule.every_occurrence);
  r.Int("context_window", window, false, 1, 1000);
  r.String("generalize", rule.generalize);
  r.String("key_file", rule.key_file);
  r.String("names_file", rule.names_file);
  r.String("words_file", rule.words_file);
  // One path or an array of paths.
  const auto paths = [&](const char* key, std::vector<std::string>& into) {
    if (const toml::node* n = t.get(key); n != nullptr && n->is_array()) {
      r.StringArray(key, into);
    } else if (std::string one; r.String(key, one) && !one.empty()) {
      into.push_back(std::move(one));
    }
  };
  paths("places_file", rule.places_files);
  paths("given_names_file", rule.given_names_files);
  r.StringArray("countries", rule.countries);
  PEERPULSE_RETURN_IF_ERROR(r.status());
  rule.context_window = static_cast<int>(window);
  const auto fail = [&](const char* key, const std::string& m) -> Status {
    r.Fail(t.get(key), m);
    return r.status();
  };

  if (action == "tag") {
    rule.action = Action::kTag;
  } else if (action == "remove") {
    rule.action = Action::kRemove;
  } else if (action == "drop-post") {
    rule.action = Action::kDropPost;
  } else if (action == "pseudonym") {
    rule.action = Action::kPseudonym;
  } else if (action == "generalize") {
    rule.action = Action::kGeneralize;
  } else {
    return fail("action", "unknown action '" + action + "' (expected tag, remove, drop-post, pseudonym or generalize)");
  }

  const BuiltinDetector* builtin = FindBuiltin(rule.detector);
  if (rule.detector == "pattern") {
    if (rule.pattern.empty()) return fail("detector", "detector 'pattern' needs a non-empty 'pattern'");
    if (rule.tag.empty()) rule.tag = UpperTag(rule.id);
    if (!rule.validator.empty() && !IsValidator(rule.validator)) {
      return fail("validator", "unknown validator '" + rule.validator +
                                   "' (expected luhn, ssn, ipv4, age90, place, place-before or ward)");
    }
  } else if (builtin != nullptr) {
    if (!rule.pattern.empty()) return fail("pattern", "built-in detector '" + rule.detector + "' takes no 'pattern'");
    if (rule.case_insensitive) return fail("case_insensitive", "'case_insensitive' applies to custom patterns only");
    if (!rule.validator.empty())
      return fail("validator", "built-in detector '" + rule.detector + "' has its own validator");
    if (rule.tag.empty()) rule.tag = std::string(builtin->default_tag);
  } else {
    std::string known;
    for (const auto n : BuiltinDetectors()) known += std::string(n) + ", ";
    return fail("detector", "unknown detector '" + rule.detector + "' (known: " + known + "pattern)");
  }
  if (!IsTag(rule.tag)) return fail("tag", "tag '" + rule.tag + "' must be 1-32 characters of A-Z, 0-9 or '_'");
  if ((!rule.names_file.empty() || !rule.words_file.empty()) && rule.detector != "person-name") {
    return fail(rule.names_file.empty() ? "words_file" : "names_file",
                "only the person-name detector reads name lists");
  }
  rule.names_file = ResolveNear(path, rule.names_file);
  rule.words_file = ResolveNear(path, rule.words_file);
  if (!rule.given_names_files.empty() && rule.detector != "person-name" && rule.detector != "hashtag-name") {
    return fail("given_names_file", "only the person-name and hashtag-name detectors read given-name lists");
  }
  for (auto& f : rule.given_names_files) {
    if (f.empty()) return fail("given_names_file", "a given-names file path is empty");
    f = ResolveNear(path, f);
  }
  if (rule.detector == "place-name" && rule.places_files.empty()) {
    return fail("detector", "detector 'place-name' needs 'places_file' (a gazetteer, see README)");
  }
  if (!rule.places_files.empty() && rule.detector != "place-name") {
    return fail("places_file", "only the place-name detector reads a places file");
  }
  if (!rule.countries.empty() && rule.detector != "place-name") {
    return fail("countries", "only the place-name detector reads 'countries'");
  }
  for (auto& f : rule.places_files) {
    if (f.empty()) return fail("places_file", "a places file path is empty");
    f = ResolveNear(path, f);
  }
  for (const auto& c : rule.countries) {
    if (c.size() != 2 || !AsciiIsUpper(static_cast<unsigned char>(c[0])) ||
        !AsciiIsUpper(static_cast<unsigned char>(c[1]))) {
      return fail("countries", "country '" + c + "' is not an ISO 3166 alpha-2 code such as \"GB\"");
    }
  }

  if (rule.action == Action::kGeneralize) {
    const std::string_view kind = builtin != nullptr ? builtin->generalizes : std::string_view();
    if (kind.empty()) {
      return fail("action", "detector '" + rule.detector + "' cannot generalize (date, age and zip can)");
    }
    if (kind == "date") {
      if (rule.generalize.empty()) rule.generalize = "year";
      if (rule.generalize != "year" && rule.generalize != "month") {
        return fail("generalize", "a date generalizes to \"year\" or \"month\"");
      }
    } else if (!rule.generalize.empty()) {
      return fail("generalize", "'generalize' options apply to dates only");
    }
  } else if (!rule.generalize.empty()) {
    return fail("generalize", "'generalize' needs action = \"generalize\"");
  }
  if (rule.action == Action::kPseudonym) {
    if (rule.key_file.empty())
      return fail("action", "action 'pseudonym' needs 'key_file' (the key is never in the policy)");
    rule.key_file = ResolveNear(path, rule.key_file);
  } else if (!rule.key_file.empty()) {
    return fail("key_file", "'key_file' needs action = \"pseudonym\"");
  }

  if (!rule.pattern.empty()) {
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_case_sensitive(!rule.case_insensitive);
    const RE2 re(rule.pattern, opts);
    if (!re.ok()) return fail("pattern", "invalid pattern: " + re.error());
  }
  return rule;
}

Result<Policy> ParseChain(std::string_view text, std::string_view path, std::vector<std::string>& seen) {
  const std::string canonical = std::filesystem::weakly_canonical(std::string(path)).string();
  if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) {
    std::string chain;
    for (const auto& s : seen) chain += s + " -> ";
    return Status::InvalidConfig(std::string(path) + ": circular extends: " + chain + canonical);
  }
  if (seen.size() >= kMaxExtendsDepth) return Status::InvalidConfig(std::string(path) + ": extends nested too deeply");
  seen.push_back(canonical);

  PEERPULSE_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, path));
  TomlReader top(root, path);
  PEERPULSE_RETURN_IF_ERROR(top.CheckKeys({"policy", "release", "lists", "rule", "test"}));
  const toml::table* meta = nullptr;
  const toml::table* release = nullptr;
  const toml::table* lists = nullptr;
  std::vector<const toml::table*> rules;
  std::vector<const toml::table*> tests;
  top.Table("policy", meta, true);
  top.Table("release", release);
  top.Table("lists", lists);
  top.Tables("rule", rules);
  top.Tables("test", tests);
  PEERPULSE_RETURN_IF_ERROR(top.status());

  TomlReader m(*meta, path, "[policy]");
  PEERPULSE_RETURN_IF_ERROR(m.CheckKeys({"name", "version", "description", "max_text_bytes", "extends"}));
  std::string name;
  std::string version;
  std::string description;
  std::string extends;
  std::int64_t max_bytes = -1;
  m.String("name", name, true);
  m.String("version", version, true);
  m.String("description", description);
  m.String("extends", extends);
  m.Int("max_text_bytes", max_bytes, false, 1, 64 << 20);
  PEERPULSE_RETURN_IF_ERROR(m.status());

  Policy policy;
  if (!extends.empty()) {
    std::string parent = extends;
    if (parent.find('/') == std::string::npos && !parent.ends_with(".toml")) parent += ".toml";
    parent = ResolveNear(path, parent);
    std::string parent_text;
    Status st = ReadWholeFile(parent, parent_text);
    if (!st.ok()) {
      m.Fail(meta->get("extends"), "cannot read parent policy: " + st.message());
      return m.status();
    }
    PEERPULSE_ASSIGN_OR_RETURN(policy, ParseChain(parent_text, parent, seen));
    policy.tests.clear();  // a policy's tests are its own
  }
  policy.path = std::string(path);
  policy.name = name;
  policy.version = version;
  policy.description = description;
  policy.chain.insert(policy.chain.begin(), std::string(path));
  if (max_bytes > 0) policy.max_text_bytes = static_cast<std::size_t>(max_bytes);
  if (release != nullptr) {
    policy.release = ReleaseSettings{};
    PEERPULSE_RETURN_IF_ERROR(ParseRelease(*release, path, policy.release));
  }
  if (lists != nullptr) {
    TomlReader l(*lists, path, "[lists]");
    PEERPULSE_RETURN_IF_ERROR(l.CheckKeys({"allow", "deny"}));
    std::vector<std::string> allow;
    std::vector<std::string> deny;
    l.StringArray("allow", allow);
    l.StringArray("deny", deny);
    PEERPULSE_RETURN_IF_ERROR(l.status());
    for (const auto* list : {&allow, &deny}) {
      for (const auto& term : *list) {
        if (term.empty() || term.size() > 200) {
          l.Fail(lists->get(list == &allow ? "allow" : "deny"), "list terms must be 1-200 bytes");
          return l.status();
        }
      }
    }
    policy.allow.insert(policy.allow.end(), allow.begin(), allow.end());
    policy.deny.insert(policy.deny.end(), deny.begin(), deny.end());
  }

  std::set<std::string> ids;
  for (const toml::table* t : rules) {
    PEERPULSE_ASSIGN_OR_RETURN(Rule rule, ParseRule(*t, path));
    if (!ids.insert(rule.id).second) {
      return Status::InvalidConfig(std::string(path) + ":" + std::to_string(rule.line) + ": duplicate rule id '" +
                                   rule.id + "'");
    }
    // A child rule replaces the parent's rule of the same id.
    std::erase_if(policy.rules, [&](const Rule& r) { return r.id == rule.id; });
    policy.rules.push_back(std::move(rule));
  }
  if (policy.rules.empty())
    return Status::InvalidConfig(top.Where() + ": missing [[rule]] (a policy needs at least one)");

  for (const toml::table* t : tests) {
    PolicyTest test;
    test.line = LineOf(*t);
    TomlReader r(*t, path, "[[test]]");
    PEERPULSE_RETURN_IF_ERROR(r.CheckKeys({"name", "input", "expect", "expect_drop"}));
    r.String("name", test.name);
    r.String("input", test.input, true);
    r.String("expect", test.expect);
    r.Bool("expect_drop", test.expect_drop);
    PEERPULSE_RETURN_IF_ERROR(r.status());
    if (test.expect_drop == (t->get("expect") != nullptr)) {
      r.Fail(nullptr, "give exactly one of 'expect' or 'expect_drop = true'");
      return r.status();
    }
    if (test.name.empty()) test.name = "line " + std::to_string(test.line);
    policy.tests.push_back(std::move(test));
  }
  // The hash covers the whole chain: a policy without a parent hashes to the
  // SHA-256 of its bytes (check it with sha256sum); a child hashes its bytes
  // with the parent's hash.
  policy.content_hash = extends.empty() ? Sha256Hex(text) : Sha256Hex(std::string(text) + "\n" + policy.content_hash);
  seen.pop_back();
  return policy;
}

std::string Quote(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

// ["a", "b"], as TOML writes an array of strings.
std::string QuoteList(const std::vector<std::string>& list) {
  std::string out = "[";
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? ", " : "") + Quote(list[i]);
  return out + "]";
}

}  // namespace

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kTag:
      return "tag";
    case Action::kRemove:
      return "remove";
    case Action::kDropPost:
      return "drop-post";
    case Action::kPseudonym:
      return "pseudonym";
    case Action::kGeneralize:
      return "generalize";
  }
  return "tag";
}

Result<Policy> ParsePolicy(std::string_view text, std::string_view path) {
  std::vector<std::string> seen;
  PEERPULSE_ASSIGN_OR_RETURN(Policy policy, ParseChain(text, path, seen));
  // A place list is part of what the policy removes, and privacy officers
  // edit site lists: the hash covers their bytes too, so a run records the
  // lists it used. A list that cannot be read is left to the detector, which
  // fails to load with the file named.
  for (const Rule& r : policy.rules) {
    for (const auto& f : r.places_files) {
      const auto bytes = MappedFile::Open(f);
      if (!bytes.ok()) continue;
      policy.content_hash = Sha256Hex(policy.content_hash + "\n" + r.id + "\n" + Sha256Hex(bytes->view()));
    }
  }
  return policy;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  return ParsePolicy(text, path);
}

std::string ExplainPolicy(const Policy& p) {
  std::string out = "# effective policy " + p.name + " " + p.version + ", sha256 " + p.content_hash + "\n";
  out += "# chain:";
  for (const auto& f : p.chain) out += " " + f;
  out += "\n\n[policy]\nname = " + Quote(p.name) + "\nversion = " + Quote(p.version) +
         "\nmax_text_bytes = " + std::to_string(p.max_text_bytes) + "\n\n[release]\n";
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "min_authors = %d\nmax_cells_per_author = %d\nepsilon = %g\ndelta = %g\nepsilon_cap = %g\n"
                "delta_cap = %g\ngrace_days = %d\n",
                p.release.min_authors, p.release.max_cells_per_author, p.release.epsilon, p.release.delta,
                p.release.epsilon_cap, p.release.delta_cap, p.release.grace_days);
  out += buf;
  out += "\n[lists]\nallow = " + QuoteList(p.allow) + "\ndeny = " + QuoteList(p.deny) + "\n";
  for (const Rule& r : p.rules) {
    out += "\n# from " + r.file + ":" + std::to_string(r.line) + "\n[[rule]]\nid = " + Quote(r.id) +
           "\ndetector = " + Quote(r.detector) + "\naction = " + Quote(ActionName(r.action)) +
           "\ntag = " + Quote(r.tag) + "\n";
    if (r.detector == "pattern") out += "pattern = " + Quote(r.pattern) + "\n";
    if (r.case_insensitive) out += "case_insensitive = true\n";
    if (!r.validator.empty()) out += "validator = " + Quote(r.validator) + "\n";
    for (const auto* list : {&r.context_before, &r.context_not_before, &r.context_not_after, &r.exclude}) {
      if (list->empty()) continue;
      out += list == &r.context_before       ? "context_before = "
             : list == &r.context_not_before ? "context_not_before = "
             : list == &r.context_not_after  ? "context_not_after = "
                                             : "exclude = ";
      out += QuoteList(*list) + "\n";
    }
    if (!r.context_before.empty() || !r.context_not_before.empty() || !r.context_not_after.empty()) {
      out += "context_window = " + std::to_string(r.context_window) + "\n";
    }
    if (r.every_occurrence) out += "every_occurrence = true\n";
    if (!r.generalize.empty()) out += "generalize = " + Quote(r.generalize) + "\n";
    if (!r.key_file.empty()) out += "key_file = " + Quote(r.key_file) + "\n";
    if (!r.names_file.empty()) out += "names_file = " + Quote(r.names_file) + "\n";
    if (!r.words_file.empty()) out += "words_file = " + Quote(r.words_file) + "\n";
    if (!r.given_names_files.empty()) {
      out += "given_names_file = " +
             (r.given_names_files.size() == 1 ? Quote(r.given_names_files[0]) : QuoteList(r.given_names_files)) + "\n";
    }
    if (!r.places_files.empty()) {
      out +=
          "places_file = " + (r.places_files.size() == 1 ? Quote(r.places_files[0]) : QuoteList(r.places_files)) + "\n";
    }
    if (!r.countries.empty()) out += "countries = " + QuoteList(r.countries) + "\n";
  }
  return out;
}

}  // namespace peerpulse::deid
