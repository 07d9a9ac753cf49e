// Canary over HTTP: the project's loopback server answers as Mastodon,
// Discourse, Reddit and an RSS feed with posts whose text, author names,
// links, titles and guids carry a marker, plus a page of broken JSON, an
// error body and a robots.txt that quote it too. After staging, release and
// query, not one marker may appear in the store's files, in the debug logs
// or on stdout/stderr. (Numeric post ids are the one stored position, as
// paging cursors, so they carry no marker here.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>

#include "fixture_server.h"
#include "testing/testing.h"

namespace peerpulse {
namespace {

using testing::FixtureRequest;
using testing::FixtureResponse;
using testing::FixtureServer;
using testing::ListFiles;
using testing::ReadFile;
using testing::RunCli;
using testing::Source;
using testing::TempDir;
using testing::WriteFile;

void ExpectNoMarker(const std::string& where, const std::string& bytes) {
  testing::ExpectNoMarker(where, bytes, "qzcanary");
}

// 60 authors x 2 posts, Tuesday and Wednesday of 2026-W02.
FixtureResponse Serve(const FixtureRequest& r) {
  FixtureResponse out;
  const auto when = [](int p) { return std::string("2026-01-0") + (p == 0 ? "6" : "7") + "T10:00:00Z"; };
  if (r.path == "/robots.txt") {
    out.body = "# qzcanary robots comment\nUser-agent: *\nDisallow: /qzcanary-private\n";
  } else if (r.path == "/api/v2/instance") {
    out.status = 404;
    out.body = R"({"error":"qzcanary not here"})";
  } else if (r.path == "/api/v1/timelines/tag/diabetes") {
    if (!r.Param("min_id").empty()) {
      out.body = "[]";
      return out;
    }
    out.body = "[";
    for (int i = 0; i < 40; ++i) {
      out.body += std::string(i ? "," : "") + R"({"id":")" + std::to_string(900 + i) + R"(","created_at":")" +
                  when(i % 2) + R"(","spoiler_text":"qzcanary cw","content":"<p>My diabetes, qzcanary )" +
                  std::to_string(i) + R"( @qzcanary@m.example</p>","url":"https://m.example/@qzcanary/1",)" +
                  R"("account":{"id":"qzcanary-acct-)" + std::to_string(i / 2) + R"(","acct":"qzcanary"}})";
    }
    out.body += "]";
  } else if (r.path == "/posts.json") {
    if (!r.Param("before").empty()) {
      out.body = R"({"latest_posts":[]})";
      return out;
    }
    out.body = R"({"latest_posts":[)";
    for (int i = 0; i < 120; ++i) {
      out.body += std::string(i ? "," : "") + R"({"id":)" + std::to_string(120 - i) + R"(,"username":"qzcanary_)" +
                  std::to_string(i / 2) + R"(","created_at":")" + when(i % 2) +
                  R"(","cooked":"<p>my diabetes qzcanary.)" + std::to_string(i) +
                  R"(@example.com</p>","topic_slug":"qzcanary-topic","topic_id":1,"post_number":1})";
    }
    out.body += "]}";
  } else if (r.path == "/api/v1/access_token") {
    out.body = R"({"access_token":"qzcanary-token"})";
  } else if (r.path == "/r/diabetes/new") {
    out.body = R"({"kind":"Listing","data":{"after":null,"children":[)";
    for (int i = 0; i < 120; ++i) {
      out.body += std::string(i ? "," : "") + R"({"kind":"t3","data":{"name":"t3_)" + std::to_string(i) +
                  R"(","author":"QzCanary_)" + std::to_string(i / 2) + R"(","title":"qzcanary title",)" +
                  R"("selftext":"my diabetes qzcanary","created_utc":)" + (i % 2 ? "1767780000" : "1767693600") +
                  R"(,"subreddit":"diabetes","permalink":"/r/diabetes/qzcanary/"}})";
    }
    out.body += "]}}";
  } else if (r.path == "/feed.xml") {
    out.headers = {{"ETag", "\"v1\""}};
    out.body = "<rss><channel>";
    for (int i = 0; i < 20; ++i) {
      out.body += "<item><guid>qzcanary-guid-" + std::to_string(i) + "</guid><title>qzcanary</title><link>"
                  "https://b.example/qzcanary/" + std::to_string(i) + "</link><description>my diabetes qzcanary"
                  "</description><author>qzcanary@b.example</author><pubDate>Tue, 06 Jan 2026 10:00:00 GMT"
                  "</pubDate></item>";
    }
    out.body += "</channel></rss>";
  } else if (r.path == "/broken/posts.json") {
    out.body = R"({"latest_posts":[{"id":1,"cooked":"qzcanary)";  // truncated JSON
  } else {
    out.status = 500;
    out.body = "qzcanary internal error page";
  }
  return out;
}

TEST(HttpCanaryTest, NoMarkerFromAnyHttpSourceReachesDiskLogsOrOutput) {
  FixtureServer server(&Serve);
  TempDir dir;
  WriteFile(dir.Join("reddit.toml"), "[reddit]\nclient_id = \"id\"\nclient_secret = \"secret\"\n");
  ASSERT_EQ(::chmod(dir.Join("reddit.toml").c_str(), 0600), 0);
  const std::string b = server.base();
  WriteFile(dir.Join("job.toml"),
            "[job]\nname = \"canary\"\npolicy = \"" + Source("policies/safe-harbor.toml") + "\"\ntaxonomy = \"" +
                Source("classify/taxonomy/default.toml") + "\"\nstore = \"store\"\n\n[http]\ncontact = "
                "\"mailto:t@example.org\"\nmin_delay_seconds = 0\nbackoff_base_seconds = 0.01\nmax_attempts = 2\n\n"
                "[[source]]\nname = \"m\"\ntype = \"mastodon\"\nurl = \"" + b + "\"\ntag = \"diabetes\"\ncommunity = \"m\"\n"
                "[[source]]\nname = \"d\"\ntype = \"discourse\"\nurl = \"" + b + "\"\ncommunity = \"d\"\nbatch_size = 9\n"
                "[[source]]\nname = \"r\"\ntype = \"reddit\"\nsubreddit = \"diabetes\"\nurl = \"" + b +
                "\"\nauth_url = \"" + b + "/api/v1/access_token\"\nsecrets_file = \"reddit.toml\"\n"
                "[[source]]\nname = \"f\"\ntype = \"feed\"\nurl = \"" + b + "/feed.xml\"\ncommunity = \"f\"\n"
                "[[source]]\nname = \"broken\"\ntype = \"discourse\"\nurl = \"" + b + "/broken\"\ncommunity = \"x\"\n"
                "[[source]]\nname = \"down\"\ntype = \"feed\"\nurl = \"" + b + "/qzcanary-down.xml\"\ncommunity = \"x\"\n");
  std::vector<testing::CommandResult> outputs;
  outputs.push_back(RunCli({"-v", "ingest", dir.Join("job.toml"), "--now", "2026-01-08T00:00:00Z"}));
  EXPECT_EQ(outputs.back().exit_code, 1) << outputs.back().err;  // two sources fail
  EXPECT_NE(outputs.back().out.find("fetched 120"), std::string::npos) << outputs.back().out;
  EXPECT_NE(outputs.back().out.find("malformed JSON"), std::string::npos) << outputs.back().out;
  for (const auto& f : ListFiles(dir.Join("store"))) ExpectNoMarker(f + " (staging)", ReadFile(f));
  outputs.push_back(RunCli({"-v", "release", dir.Join("job.toml"), "--now", "2026-02-01T00:00:00Z"}));
  ASSERT_EQ(outputs.back().exit_code, 0) << outputs.back().err;
  EXPECT_NE(outputs.back().out.find("released 2026-W02"), std::string::npos) << outputs.back().out;
  outputs.push_back(RunCli({"-v", "query", "--store", dir.Join("store"), "--format", "csv"}));
  ASSERT_EQ(outputs.back().exit_code, 0);
  for (const auto& f : ListFiles(dir.Join("store"))) ExpectNoMarker(f, ReadFile(f));
  for (const auto& o : outputs) {
    ExpectNoMarker("stdout", o.out);
    ExpectNoMarker("stderr", o.err);
  }
}

}  // namespace
}  // namespace peerpulse
