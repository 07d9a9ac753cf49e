#include "peerpulse/crawler/robots.h"

#include <cctype>
#include <cstdlib>

#include "lower.h"

namespace peerpulse::crawler {
namespace {

constexpr std::size_t kMaxRobotsBytes = 500 * 1024;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Matches `pattern` (with '*' and a final '$') against the start of `path`.
bool Match(std::string_view pattern, std::string_view path) {
  // Iterative wildcard matching with backtracking on the last '*'.
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  std::size_t p = 0, s = 0, star = std::string_view::npos, mark = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
      if (star == std::string_view::npos) return false;
      p = star + 1;
      s = ++mark;
      if (s > path.size()) return false;
      continue;
    }
    if (pattern[p] == '*') {
      star = p++;
      mark = s;
      continue;
    }
    if (s < path.size() && pattern[p] == path[s]) {
      ++p;
      ++s;
      continue;
    }
    if (star == std::string_view::npos) return false;
    p = star + 1;
    s = ++mark;
    if (s > path.size()) return false;
  }
}

}  // namespace

RobotsRules RobotsRules::DisallowAll() {
  RobotsRules r;
  r.rules_.push_back(Rule{false, "/"});
  return r;
}

RobotsRules RobotsRules::Parse(std::string_view body, std::string_view agent) {
  if (body.size() > kMaxRobotsBytes) body = body.substr(0, kMaxRobotsBytes);
  const std::string me = Lower(agent);
  struct Group {
    std::vector<std::string> agents;
    std::vector<Rule> rules;
    std::optional<double> delay;
  };
  std::vector<Group> groups;
  bool in_agents = false;  // the previous meaningful line was a user-agent line
  while (!body.empty()) {
    const auto nl = body.find_first_of("\r\n");
    std::string_view line = body.substr(0, nl);
    body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
    const auto hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = Lower(Trim(line.substr(0, colon)));
    const std::string_view value = Trim(line.substr(colon + 1));
    if (key == "user-agent") {
      if (!in_agents || groups.empty()) groups.emplace_back();
      groups.back().agents.push_back(Lower(value));
      in_agents = true;
      continue;
    }
    if (groups.empty()) continue;  // rules before any user-agent line
    in_agents = false;
    if (key == "allow" || key == "disallow") {
      if (value.empty()) continue;  // "disallow:" allows everything
      groups.back().rules.push_back(Rule{key == "allow", std::string(value)});
    } else if (key == "crawl-delay") {
      char* end = nullptr;
      const std::string v(value);
      const double d = std::strtod(v.c_str(), &end);
      if (end != v.c_str() && d >= 0) groups.back().delay = d;
    }
  }
  // The groups naming our product token, else the '*' groups (merged).
  RobotsRules out;
  for (const bool wildcard : {false, true}) {
    bool any = false;
    for (const Group& g : groups) {
      bool applies = false;
      for (const auto& a : g.agents) {
        // A user-agent value matches when it is our token (RFC 9309 2.2.1:
        // the product token, case-insensitive); a value with a version ("peerpulse/1.0") too.
        const std::string token = a.substr(0, a.find_first_of("/ "));
        if (wildcard ? a == "*" : (!me.empty() && token == me)) applies = true;
      }
      if (!applies) continue;
      any = true;
      out.rules_.insert(out.rules_.end(), g.rules.begin(), g.rules.end());
      if (g.delay) out.crawl_delay_ = g.delay;
    }
    if (any) break;
  }
  return out;
}

bool RobotsRules::Allowed(std::string_view path) const {
  if (path == "/robots.txt") return true;
  std::size_t best = 0;
  bool allowed = true;
  bool matched = false;
  for (const Rule& r : rules_) {
    if (!Match(r.pattern, path)) continue;
    const std::size_t len = r.pattern.size();
    if (!matched || len > best || (len == best && r.allow)) {
      best = len;
      allowed = r.allow;
      matched = true;
    }
  }
  return allowed;
}

}  // namespace peerpulse::crawler
