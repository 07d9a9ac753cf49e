#include <gtest/gtest.h>

#include "peerpulse/crawler/http.h"
#include "peerpulse/crawler/polite_fetcher.h"
#include "peerpulse/crawler/robots.h"
#include "peerpulse/crawler/text.h"

namespace peerpulse::crawler {
namespace {

TEST(UrlTest, HostOriginPath) {
  EXPECT_EQ(HostOf("https://Mastodon.Social/api/v1?x=1"), "mastodon.social");
  EXPECT_EQ(HostOf("https://user:pw@example.org:443/a"), "example.org");
  EXPECT_EQ(HostOf("http://127.0.0.1:8080"), "127.0.0.1:8080");
  EXPECT_EQ(HostOf("ftp:/nothing"), "");
  EXPECT_EQ(OriginOf("HTTPS://example.org/a/b"), "https://example.org");
  EXPECT_EQ(PathOf("https://example.org"), "/");
  EXPECT_EQ(PathOf("https://example.org?q=1#frag"), "/?q=1");
  EXPECT_EQ(PathOf("https://example.org/a/b?q=1#frag"), "/a/b?q=1");
  EXPECT_EQ(UrlEncode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(UrlTest, LinkHeaderAndResolution) {
  const std::string link =
      "<http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117>; rel=\"next\", "
      "<http://localhost:3000/api/v1/timelines/tag/hoot?min_id=118>; rel=\"prev\"";
  EXPECT_EQ(LinkRel(link, "next"), "http://localhost:3000/api/v1/timelines/tag/hoot?max_id=117");
  EXPECT_EQ(LinkRel(link, "prev"), "http://localhost:3000/api/v1/timelines/tag/hoot?min_id=118");
  EXPECT_EQ(LinkRel("<https://a/b>; rel=next", "next"), "https://a/b");
  EXPECT_EQ(LinkRel("<https://a/b>; rel=\"prev next\"", "next"), "https://a/b");
  EXPECT_EQ(LinkRel("<https://a/b>; rel=\"nextish\"", "next"), "");
  EXPECT_EQ(LinkRel("garbage <", "next"), "");
  EXPECT_EQ(ResolveUrl("https://a.org/x/y?q", "/z?1"), "https://a.org/z?1");
  EXPECT_EQ(ResolveUrl("https://a.org/x/y?q", "?p=2"), "https://a.org/x/y?p=2");
  EXPECT_EQ(ResolveUrl("https://a.org/x/y", "w"), "https://a.org/x/w");
  EXPECT_EQ(ResolveUrl("https://a.org/x/y", "//b.org/k"), "https://b.org/k");
}

TEST(RobotsTest, GroupsLongestMatchAndWildcards) {
  const std::string body =
      "# comment\n"
      "User-agent: *\n"
      "Disallow: /\n"
      "\n"
      "User-agent: PeerPulse/1.0\n"
      "User-agent: other\n"
      "Disallow: /private\n"
      "Allow: /private/public\n"
      "Disallow: /*.json$\n"
      "Allow: /api/*.json$\n"
      "Crawl-delay: 2.5\n";
  const RobotsRules r = RobotsRules::Parse(body, "peerpulse");
  EXPECT_TRUE(r.Allowed("/"));
  EXPECT_FALSE(r.Allowed("/private/x"));
  EXPECT_TRUE(r.Allowed("/private/public/x"));
  EXPECT_FALSE(r.Allowed("/t/1.json"));
  EXPECT_TRUE(r.Allowed("/t/1.json?x"));   // '$' anchors at the end
  EXPECT_TRUE(r.Allowed("/api/v1/x.json"));
  EXPECT_TRUE(r.Allowed("/robots.txt"));
  ASSERT_TRUE(r.crawl_delay().has_value());
  EXPECT_DOUBLE_EQ(*r.crawl_delay(), 2.5);

  const RobotsRules star = RobotsRules::Parse(body, "somebot");
  EXPECT_FALSE(star.Allowed("/anything"));
  EXPECT_FALSE(star.crawl_delay().has_value());

  // No group for us and none for '*': everything allowed; "Disallow:" allows too.
  EXPECT_TRUE(RobotsRules::Parse("User-agent: x\nDisallow: /\n", "peerpulse").Allowed("/a"));
  EXPECT_TRUE(RobotsRules::Parse("User-agent: *\nDisallow:\n", "peerpulse").Allowed("/a"));
  EXPECT_FALSE(RobotsRules::DisallowAll().Allowed("/a"));
  EXPECT_TRUE(RobotsRules::AllowAll().Allowed("/a"));
  // Equal length: allow wins.
  EXPECT_TRUE(RobotsRules::Parse("User-agent: *\nDisallow: /a\nAllow: /a\n", "p").Allowed("/a"));
}

TEST(RobotsTest, HostileInputIsBounded) {
  std::string body = "User-agent: *\n";
  for (int i = 0; i < 2000; ++i) body += "Disallow: /*a*a*a*a*a*a*a*a*a*b$\n";
  const RobotsRules r = RobotsRules::Parse(body, "peerpulse");
  EXPECT_TRUE(r.Allowed("/" + std::string(200, 'a')));
  EXPECT_TRUE(RobotsRules::Parse(std::string(1 << 20, '\n'), "p").Allowed("/"));
}

TEST(RetryAfterTest, SecondsAndDates) {
  EXPECT_EQ(ParseRetryAfter("120", 0), 120.0);
  EXPECT_EQ(ParseRetryAfter(" 3 ", 0), 3.0);
  // Wed, 21 Oct 2015 07:28:00 GMT = 1445412480
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412470.0), 10.0);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", 1445412490.0), 0.0);
  EXPECT_FALSE(ParseRetryAfter("soon", 0).has_value());
}

TEST(HtmlToTextTest, StripsMarkupKeepsText) {
  EXPECT_EQ(HtmlToText("<p>Hello <b>world</b> &amp; friends&#39;</p><p>second</p>"),
            "Hello world & friends'\nsecond");
  EXPECT_EQ(HtmlToText("<p>a<br>b</p><script>alert(1)</script><style>p{}</style><!-- c -->"), "a\nb");
  EXPECT_EQ(HtmlToText("plain text"), "plain text");
  EXPECT_EQ(HtmlToText(""), "");
  EXPECT_EQ(HtmlToText("<p><a href=\"x\" class=\"mention\">@<span>jo</span></a> hi</p>"), "@jo hi");
  // Broken and hostile markup never crashes and keeps the visible text.
  EXPECT_EQ(HtmlToText("<div><p>unclosed <i>tags"), "unclosed tags");
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += "<div>";
  deep += "deep";
  deep = "<p>kept</p>" + deep;
  EXPECT_EQ(HtmlToText(deep).substr(0, 4), "kept");  // markup nested past libxml2's limit is cut there
  EXPECT_NO_FATAL_FAILURE(HtmlToText(std::string("\xff\xfe<p>\x80\x81</p>", 10)));
}

}  // namespace
}  // namespace peerpulse::crawler
