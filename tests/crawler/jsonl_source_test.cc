#include "peerpulse/crawler/jsonl_source.h"
#include "peerpulse/crawler/source_group.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/testing.h"

namespace peerpulse::crawler {
namespace {

using peerpulse::testing::TempDir;
using peerpulse::testing::WriteFile;

std::string Line(const std::string& id, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","author":"a)" + id +
         R"(","created_at":"2026-01-06T10:00:00Z","text":"hello )" + id + "\"" + extra + "}\n";
}

std::unique_ptr<JsonlSource> OpenAt(const std::string& path, const std::string& cursor = "",
                                    std::size_t max_line = 4u << 20) {
  JsonlSourceOptions o;
  o.name = "src";
  o.path = path;
  o.default_community = "forum";
  o.max_line_bytes = max_line;
  auto s = JsonlSource::Open(o, cursor);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

TEST(JsonlSourceTest, ReadsRecordsInBatchesAndResumesFromCursor) {
  TempDir dir;
  const std::string path = dir.Join("p.jsonl");
  WriteFile(path, Line("1") + Line("2", R"(,"community":"R/Diabetes","lang":"en","title":"T","url":"u")") + Line("3"));
  auto src = OpenAt(path);
  auto b1 = src->Next(2).value();
  ASSERT_EQ(b1.posts.size(), 2u);
  EXPECT_FALSE(b1.exhausted);
  EXPECT_EQ(b1.posts[0].native_id, "1");
  EXPECT_EQ(b1.posts[0].community, "forum");
  EXPECT_EQ(b1.posts[0].lang, "und");
  EXPECT_EQ(b1.posts[0].source, "src");
  EXPECT_EQ(b1.posts[1].community, "R/Diabetes");  // normalised later, by the de-identifier
  EXPECT_EQ(b1.posts[1].text, "T\n\nhello 2");
  EXPECT_EQ(b1.posts[1].created_at, 1767693600);

  auto resumed = OpenAt(path, b1.cursor);
  auto b2 = resumed->Next(10).value();
  ASSERT_EQ(b2.posts.size(), 1u);
  EXPECT_EQ(b2.posts[0].native_id, "3");
  EXPECT_TRUE(b2.exhausted);
  EXPECT_EQ(b2.cursor, "v1:" + std::to_string(peerpulse::testing::ReadFile(path).size()) + ":3");
}

TEST(JsonlSourceTest, BadRecordsAreSkippedWithFileLineAndNoContent) {
  TempDir dir;
  const std::string path = dir.Join("bad.jsonl");
  std::string content = Line("1");
  content += "{\"id\":\"2\",\"author\":\"SECRETAUTHOR\",\"text\":\"SECRETTEXT\"\n";            // line 2: malformed
  content += "[1,2]\n";                                                                          // 3: not an object
  content += "{\"id\":\"4\",\"author\":\"SECRETAUTHOR\",\"created_at\":\"yesterday\",\"text\":\"x\"}\n";  // 4
  content += "{\"id\":\"5\",\"author\":7,\"created_at\":1767693600,\"text\":\"x\"}\n";           // 5: author type
  content += "{\"id\":\"6\",\"author\":\"a\",\"created_at\":1767693600,\"text\":\"\xff\xfe\"}\n";  // 6: bad UTF-8
  content += "\n";                                                                               // 7: empty
  content += "{\"id\":\"8\",\"author\":\"a\",\"created_at\":1767693600000,\"text\":\"ms\"}\n";   // 8: millis
  content += Line("9");
  WriteFile(path, content);
  auto src = OpenAt(path);
  auto b = src->Next(100).value();
  ASSERT_EQ(b.posts.size(), 2u);
  EXPECT_EQ(b.posts[0].native_id, "1");
  EXPECT_EQ(b.posts[1].native_id, "9");
  ASSERT_EQ(b.record_errors.size(), 6u);
  EXPECT_EQ(b.record_errors[0].rfind(path + ":2: malformed JSON", 0), 0u) << b.record_errors[0];
  EXPECT_EQ(b.record_errors[1], path + ":3: record is not a JSON object");
  EXPECT_EQ(b.record_errors[2], path + ":4: field 'created_at' is not an RFC 3339 timestamp");
  EXPECT_EQ(b.record_errors[3], path + ":5: field 'author' is not a string");
  EXPECT_EQ(b.record_errors[4].rfind(path + ":6: malformed JSON", 0), 0u) << b.record_errors[4];
  EXPECT_EQ(b.record_errors[5], path + ":8: field 'created_at' is outside 1990..2100");
  for (const auto& e : b.record_errors) {
    EXPECT_EQ(e.find("SECRET"), std::string::npos) << e;
  }
}

TEST(JsonlSourceTest, OversizeLineIsSkippedWithoutLosingTheNext) {
  TempDir dir;
  const std::string path = dir.Join("big.jsonl");
  const std::string big = "{\"id\":\"big\",\"text\":\"" + std::string(300000, 'x') + "\"}\n";
  WriteFile(path, Line("1") + big + Line("3"));
  auto src = OpenAt(path, "", 1000);
  auto b = src->Next(100).value();
  ASSERT_EQ(b.posts.size(), 2u);
  EXPECT_EQ(b.posts[1].native_id, "3");
  ASSERT_EQ(b.record_errors.size(), 1u);
  EXPECT_EQ(b.record_errors[0], path + ":2: line longer than 1000 bytes, skipped");
}

TEST(JsonlSourceTest, TruncatedLastLineIsLeftForTheNextRun) {
  TempDir dir;
  const std::string path = dir.Join("t.jsonl");
  const std::string partial = "{\"id\":\"2\",\"author\":\"a\",\"crea";
  WriteFile(path, Line("1") + partial);
  auto b = OpenAt(path)->Next(100).value();
  ASSERT_EQ(b.posts.size(), 1u);
  EXPECT_TRUE(b.record_errors.empty());
  EXPECT_TRUE(b.exhausted);
  // The writer finishes the line: the next run picks it up from the cursor.
  WriteFile(path, Line("1") + Line("2"));
  auto b2 = OpenAt(path, b.cursor)->Next(100).value();
  ASSERT_EQ(b2.posts.size(), 1u);
  EXPECT_EQ(b2.posts[0].native_id, "2");
}

TEST(JsonlSourceTest, CompleteLastLineWithoutNewlineIsRead) {
  TempDir dir;
  const std::string path = dir.Join("n.jsonl");
  std::string l = Line("1");
  l.pop_back();
  WriteFile(path, l);
  auto b = OpenAt(path)->Next(100).value();
  ASSERT_EQ(b.posts.size(), 1u);
  auto again = OpenAt(path, b.cursor)->Next(100).value();
  EXPECT_TRUE(again.posts.empty());
}

TEST(JsonlSourceTest, ShrunkFileRestartsFromTheTop) {
  TempDir dir;
  const std::string path = dir.Join("s.jsonl");
  WriteFile(path, Line("1") + Line("2"));
  auto b = OpenAt(path)->Next(100).value();
  WriteFile(path, Line("3"));
  auto b2 = OpenAt(path, b.cursor)->Next(100).value();
  ASSERT_EQ(b2.posts.size(), 1u);
  EXPECT_EQ(b2.posts[0].native_id, "3");
}

TEST(JsonlSourceTest, OpenErrors) {
  JsonlSourceOptions o;
  o.name = "src";
  o.path = "/nonexistent/x.jsonl";
  EXPECT_EQ(JsonlSource::Open(o, "").status().code(), StatusCode::kNotFound);
  TempDir dir;
  o.path = dir.Join("x.jsonl");
  WriteFile(o.path, "");
  EXPECT_EQ(JsonlSource::Open(o, "garbage").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(JsonlSource::Open(o, "v1:12:").status().code(), StatusCode::kInvalidArgument);
  auto empty = JsonlSource::Open(o, "");
  ASSERT_TRUE(empty.ok());
  auto b = (*empty)->Next(10).value();
  EXPECT_TRUE(b.posts.empty());
  EXPECT_TRUE(b.exhausted);
}

TEST(JsonlSourceTest, MissingCommunityWithoutDefaultIsAnError) {
  TempDir dir;
  JsonlSourceOptions o;
  o.name = "src";
  o.path = dir.Join("c.jsonl");
  WriteFile(o.path, Line("1"));
  auto b = JsonlSource::Open(o, "").value()->Next(10).value();
  EXPECT_TRUE(b.posts.empty());
  ASSERT_EQ(b.record_errors.size(), 1u);
  EXPECT_NE(b.record_errors[0].find("no 'community'"), std::string::npos);
}

}  // namespace
}  // namespace peerpulse::crawler

namespace peerpulse::crawler {
namespace {

TEST(SourceGroupTest, EachSourceInOrderAllBatchesAllCursors) {
  TempDir dir;
  std::vector<std::vector<std::string>> direct(3);
  std::vector<SourceGroup::Member> members;
  for (int f = 0; f < 3; ++f) {
    const std::string path = dir.Join("p" + std::to_string(f) + ".jsonl");
    std::string text;
    for (int i = 0; i < 10 + 7 * f; ++i) text += Line(std::to_string(i));
    WriteFile(path, text);
    auto d = OpenAt(path);
    for (;;) {
      auto b = d->Next(4).value();
      direct[static_cast<std::size_t>(f)].push_back(b.cursor);
      if (b.exhausted) break;
    }
    members.push_back(SourceGroup::Member{OpenAt(path), 4});
  }
  SourceGroup group(std::move(members), 2);
  std::vector<std::vector<std::string>> cursors(3);
  std::vector<int> next_id(3, 0);
  std::vector<int> lasts(3, 0);
  while (auto item = group.Next()) {
    ASSERT_TRUE(item->batch.ok());
    for (const auto& p : item->batch->posts) EXPECT_EQ(p.native_id, std::to_string(next_id[item->member]++));
    cursors[item->member].push_back(item->batch->cursor);
    lasts[item->member] += item->last ? 1 : 0;
    EXPECT_EQ(item->last, item->batch->exhausted);
  }
  EXPECT_EQ(cursors, direct);
  EXPECT_EQ(next_id, (std::vector<int>{10, 17, 24}));
  EXPECT_EQ(lasts, (std::vector<int>{1, 1, 1}));
  EXPECT_FALSE(group.Next().has_value());
}

TEST(SourceGroupTest, DroppingMidStreamIsClean) {
  TempDir dir;
  const std::string path = dir.Join("p.jsonl");
  std::string text;
  for (int i = 0; i < 1000; ++i) text += Line(std::to_string(i));
  WriteFile(path, text);
  for (int i = 0; i < 20; ++i) {
    std::vector<SourceGroup::Member> members;
    members.push_back(SourceGroup::Member{OpenAt(path), 10});
    members.push_back(SourceGroup::Member{OpenAt(path), 7});
    SourceGroup group(std::move(members), 3);
    ASSERT_TRUE(group.Next().has_value());
  }  // the destructor joins the threads; ASan checks that nothing leaks
  std::vector<SourceGroup::Member> none;
  SourceGroup empty(std::move(none));
  EXPECT_FALSE(empty.Next().has_value());
}

}  // namespace
}  // namespace peerpulse::crawler

namespace peerpulse::crawler {
namespace {

std::size_t CountAll(JsonlSourceOptions o, std::vector<std::string>* errors = nullptr, std::size_t* skipped = nullptr) {
  auto src = JsonlSource::Open(std::move(o), "");
  EXPECT_TRUE(src.ok()) << src.status().ToString();
  if (!src.ok()) return 0;
  std::size_t n = 0;
  for (;;) {
    auto b = (*src)->Next(50);
    EXPECT_TRUE(b.ok());
    if (!b.ok()) return n;
    n += b->posts.size();
    if (errors != nullptr) errors->insert(errors->end(), b->record_errors.begin(), b->record_errors.end());
    if (skipped != nullptr) *skipped += b->skipped;
    if (b->exhausted) return n;
  }
}

TEST(JsonlFormatsTest, OtherCollectorsRecordsOnePerLine) {
  TempDir dir;
  WriteFile(dir.Join("m.jsonl"),
            R"({"id":"5","created_at":"2026-03-02T10:00:00Z","content":"<p>hi &amp; bye</p>","account":{"id":"1"}})"
            "\n"
            R"({"id":"6","created_at":"2026-03-02T10:00:00Z","content":"<p>boost</p>","reblog":{"id":"1"},"account":{"id":"2"}})"
            "\n{broken\n");
  JsonlSourceOptions o;
  o.name = "m";
  o.path = dir.Join("m.jsonl");
  o.default_community = "c";
  o.format = JsonlFormat::kMastodon;
  std::vector<std::string> errors;
  std::size_t skipped = 0;
  EXPECT_EQ(CountAll(o, &errors, &skipped), 1u);
  EXPECT_EQ(skipped, 1u);  // the boost
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].find(":3: "), std::string::npos);  // FILE:LINE, no content

  WriteFile(dir.Join("r.jsonl"),
            R"({"kind":"t3","data":{"name":"t3_a","author":"x","title":"t","selftext":"s","created_utc":1772445600,"subreddit":"diabetes"}})"
            "\n"
            R"({"kind":"t3","data":{"name":"t3_b","author":"[deleted]","title":"t","selftext":"[deleted]","created_utc":1772445600}})"
            "\n");
  o.path = dir.Join("r.jsonl");
  o.format = JsonlFormat::kReddit;
  o.default_community = "";
  errors.clear();
  EXPECT_EQ(CountAll(o, &errors), 1u);
  EXPECT_TRUE(errors.empty());
}

TEST(JsonlFormatsTest, RecordedDumps) {
  const std::string ext = testing::Source("../shared/external/sources/jsonl/");
  if (!std::filesystem::exists(ext + "README.md")) GTEST_SKIP() << "../shared/external/sources is absent";
  JsonlSourceOptions o;
  o.name = "x";
  o.default_community = "c";
  std::vector<std::string> errors;
  o.path = ext + "mastodon_timelines_public_2026.statuses.jsonl";
  o.format = JsonlFormat::kMastodon;
  EXPECT_EQ(CountAll(o, &errors), 20u);
  o.path = ext + "reddit_askreddit_new_2016.children.jsonl";
  o.format = JsonlFormat::kReddit;
  const std::size_t reddit = CountAll(o, &errors);
  EXPECT_GT(reddit, 80u);
  EXPECT_LE(reddit, 100u);
  o.path = ext + "bluesky_getAuthorFeed_2023.feed.jsonl";
  o.format = JsonlFormat::kBluesky;
  EXPECT_EQ(CountAll(o, &errors), 23u);  // 25 items, 2 reposts
  EXPECT_TRUE(errors.empty()) << errors.front();
}

}  // namespace
}  // namespace peerpulse::crawler
