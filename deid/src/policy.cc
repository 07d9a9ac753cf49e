#include "peerpulse/deid/policy.h"

#include <re2/re2.h>

#include <set>

#include "detectors.h"
#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::deid {
namespace {

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

}  // namespace

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kTag: return "tag";
    case Action::kRemove: return "remove";
    case Action::kDropPost: return "drop-post";
  }
  return "tag";
}

Result<Policy> ParsePolicy(std::string_view text, std::string_view path) {
  PEERPULSE_ASSIGN_OR_RETURN(toml::table root, ParseToml(text, path));
  Policy policy;
  policy.path = std::string(path);
  policy.content_hash = Sha256Hex(text);

  TomlReader top(root, path);
  PEERPULSE_RETURN_IF_ERROR(top.CheckKeys({"policy", "release", "rule", "test"}));
  const toml::table* meta = nullptr;
  const toml::table* release = nullptr;
  std::vector<const toml::table*> rules;
  std::vector<const toml::table*> tests;
  top.Table("policy", meta, true);
  top.Tables("rule", rules, true);
  top.Tables("test", tests);
  top.Table("release", release);
  PEERPULSE_RETURN_IF_ERROR(top.status());
  if (release != nullptr) PEERPULSE_RETURN_IF_ERROR(ParseRelease(*release, path, policy.release));

  TomlReader m(*meta, path, "[policy]");
  PEERPULSE_RETURN_IF_ERROR(m.CheckKeys({"name", "version", "description", "max_text_bytes"}));
  std::int64_t max_bytes = static_cast<std::int64_t>(policy.max_text_bytes);
  m.String("name", policy.name, true);
  m.String("version", policy.version, true);
  m.String("description", policy.description);
  m.Int("max_text_bytes", max_bytes, false, 1, 64 << 20);
  PEERPULSE_RETURN_IF_ERROR(m.status());
  policy.max_text_bytes = static_cast<std::size_t>(max_bytes);
  if (rules.empty()) return Status::InvalidConfig(top.Where() + ": a policy needs at least one [[rule]]");

  std::set<std::string> ids;
  for (const toml::table* t : rules) {
    Rule rule;
    rule.line = LineOf(*t);
    TomlReader pre(*t, path, "[[rule]]");
    if (!pre.String("id", rule.id, true)) return pre.status();
    if (!IsRuleId(rule.id)) {
      return Status::InvalidConfig(pre.Where(t->get("id")) + ": rule id '" + rule.id +
                                   "' must be 1-64 characters of a-z, 0-9, '-' or '_'");
    }
    TomlReader r(*t, path, "rule '" + rule.id + "'");
    PEERPULSE_RETURN_IF_ERROR(
        r.CheckKeys({"id", "detector", "pattern", "action", "tag", "case_insensitive", "description"}));
    if (!ids.insert(rule.id).second) return Status::InvalidConfig(r.Where() + ": duplicate rule id '" + rule.id + "'");
    std::string action = "tag";
    std::string description;
    r.String("detector", rule.detector, true);
    r.String("pattern", rule.pattern);
    r.String("action", action);
    r.String("tag", rule.tag);
    r.Bool("case_insensitive", rule.case_insensitive);
    r.String("description", description);
    PEERPULSE_RETURN_IF_ERROR(r.status());

    if (action == "tag") {
      rule.action = Action::kTag;
    } else if (action == "remove") {
      rule.action = Action::kRemove;
    } else if (action == "drop-post") {
      rule.action = Action::kDropPost;
    } else {
      r.Fail(t->get("action"), "unknown action '" + action + "' (expected tag, remove or drop-post)");
      return r.status();
    }

    if (rule.detector == "pattern") {
      if (rule.pattern.empty()) {
        r.Fail(t->get("detector"), "detector 'pattern' needs a non-empty 'pattern'");
        return r.status();
      }
      if (rule.tag.empty()) rule.tag = UpperTag(rule.id);
    } else if (const BuiltinDetector* b = FindBuiltin(rule.detector)) {
      if (!rule.pattern.empty()) {
        r.Fail(t->get("pattern"), "built-in detector '" + rule.detector + "' takes no 'pattern'");
        return r.status();
      }
      if (rule.case_insensitive) {
        r.Fail(t->get("case_insensitive"), "'case_insensitive' applies to custom patterns only");
        return r.status();
      }
      rule.pattern = std::string(b->pattern);
      if (rule.tag.empty()) rule.tag = std::string(b->default_tag);
    } else {
      std::string known;
      for (const auto n : BuiltinDetectors()) known += std::string(n) + ", ";
      r.Fail(t->get("detector"), "unknown detector '" + rule.detector + "' (known: " + known + "pattern)");
      return r.status();
    }
    if (!IsTag(rule.tag)) {
      r.Fail(t->get("tag"), "tag '" + rule.tag + "' must be 1-32 characters of A-Z, 0-9 or '_'");
      return r.status();
    }
    RE2::Options opts;
    opts.set_log_errors(false);
    opts.set_case_sensitive(!rule.case_insensitive);
    const RE2 re(rule.pattern, opts);
    if (!re.ok()) {
      r.Fail(t->get("pattern"), "invalid pattern: " + re.error());
      return r.status();
    }
    policy.rules.push_back(std::move(rule));
  }

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
  return policy;
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  std::string text;
  PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(path, text));
  return ParsePolicy(text, path);
}

}  // namespace peerpulse::deid
