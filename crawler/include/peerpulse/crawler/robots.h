// robots.txt (RFC 9309): which paths of a host a crawler may fetch.
//
// Parsing follows RFC 9309: groups start with one or more `user-agent` lines;
// the group(s) whose product token matches ours (case-insensitive) apply,
// else the `*` group(s), else nothing is disallowed. `allow`/`disallow` paths
// support `*` and a final `$`; the longest matching rule wins, and `allow`
// wins a tie. `/robots.txt` itself is always allowed. Unknown lines are
// ignored; only the first 500 KiB are read (RFC 9309 2.5). `crawl-delay`
// (not in the RFC, widely used) is read from the applying group.
//
// Values are immutable after Parse and safe to share between threads.
#ifndef PEERPULSE_CRAWLER_ROBOTS_H_
#define PEERPULSE_CRAWLER_ROBOTS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace peerpulse::crawler {

class RobotsRules {
 public:
  // Rules for product token `agent` (e.g. "peerpulse") from a robots.txt body.
  static RobotsRules Parse(std::string_view body, std::string_view agent);
  // No robots.txt (4xx): everything allowed.
  static RobotsRules AllowAll() { return RobotsRules(); }
  // robots.txt unreachable (5xx, network error): nothing allowed (RFC 9309 2.3.1.4).
  static RobotsRules DisallowAll();

  // Whether `path` (path and query, starting with '/') may be fetched.
  bool Allowed(std::string_view path) const;
  // Seconds asked for between requests, if the applying group says so.
  std::optional<double> crawl_delay() const { return crawl_delay_; }

 private:
  struct Rule {
    bool allow = false;
    std::string pattern;
  };
  std::vector<Rule> rules_;
  std::optional<double> crawl_delay_;
};

}  // namespace peerpulse::crawler

#endif  // PEERPULSE_CRAWLER_ROBOTS_H_
