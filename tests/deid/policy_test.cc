#include "peerpulse/deid/policy.h"

#include <gtest/gtest.h>

#include "peerpulse/deid/deidentifier.h"
#include "testing/testing.h"

namespace peerpulse::deid {
namespace {

constexpr const char* kHeader = "[policy]\nname = \"t\"\nversion = \"1\"\n\n";

Status ErrorOf(const std::string& body) { return ParsePolicy(std::string(kHeader) + body, "p.toml").status(); }

TEST(PolicyTest, ParsesRulesAndTests) {
  const auto p = ParsePolicy(std::string(kHeader) + R"(
[[rule]]
id = "email"
detector = "email"

[[rule]]
id = "mrn"
detector = "pattern"
pattern = 'MRN[: ]*(\d{6,10})'
action = "remove"

[[test]]
input = "a@b.org"
expect = "<EMAIL>"
)",
                             "p.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].tag, "EMAIL");
  EXPECT_EQ(p->rules[1].tag, "MRN");
  EXPECT_EQ(p->rules[1].action, Action::kRemove);
  EXPECT_EQ(p->rules[1].line, 10);
  ASSERT_EQ(p->tests.size(), 1u);
  EXPECT_EQ(p->content_hash.size(), 64u);
}

TEST(PolicyTest, ErrorsNameFileLineColumnAndRule) {
  Status s = ErrorOf("[[rule]]\nid = \"r1\"\ndetector = \"pattern\"\npattern = \"(unclosed\"\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidConfig);
  EXPECT_NE(s.message().find("p.toml:8:11: rule 'r1': invalid pattern: missing )"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r2\"\ndetector = \"email\"\nbogus = 1\n");
  EXPECT_NE(s.message().find("p.toml:8:1: rule 'r2': unknown key 'bogus'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r3\"\ndetector = \"nosuch\"\n");
  EXPECT_NE(s.message().find("rule 'r3': unknown detector 'nosuch'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r4\"\ndetector = \"email\"\naction = \"obliterate\"\n");
  EXPECT_NE(s.message().find("p.toml:8:10: rule 'r4': unknown action 'obliterate'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"dup\"\ndetector = \"email\"\n[[rule]]\nid = \"dup\"\ndetector = \"url\"\n");
  EXPECT_NE(s.message().find("duplicate rule id 'dup'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"Bad Id\"\ndetector = \"email\"\n");
  EXPECT_NE(s.message().find("rule id 'Bad Id'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r5\"\ndetector = \"email\"\npattern = \"x\"\n");
  EXPECT_NE(s.message().find("built-in detector 'email' takes no 'pattern'"), std::string::npos);

  s = ErrorOf("");
  EXPECT_NE(s.message().find("p.toml:1:1: missing [[rule]]"), std::string::npos) << s.message();

  s = ParsePolicy("[policy\n", "p.toml").status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidConfig);
  EXPECT_EQ(s.message().rfind("p.toml:1:", 0), 0u) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r6\"\ndetector = \"email\"\n[[test]]\ninput = \"x\"\n");
  EXPECT_NE(s.message().find("exactly one of 'expect' or 'expect_drop"), std::string::npos) << s.message();
}

TEST(PolicyTest, ReleaseSettings) {
  auto p = ParsePolicy(std::string(kHeader) +
                           "[release]\nmin_authors = 20\nepsilon = 0.5\ndelta = 1e-7\nmax_cells_per_author = 3\n"
                           "epsilon_cap = 10\ndelta_cap = 1e-5\ngrace_days = 0\n"
                           "[[rule]]\nid = \"e\"\ndetector = \"email\"\n",
                       "p.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->release.min_authors, 20);
  EXPECT_EQ(p->release.epsilon, 0.5);
  EXPECT_EQ(p->release.max_cells_per_author, 3);
  EXPECT_EQ(p->release.grace_days, 0);
  const ReleaseSettings defaults;
  EXPECT_EQ(defaults.min_authors, 11);

  const auto bad = [](const std::string& release) {
    return ParsePolicy(
               std::string(kHeader) + "[release]\n" + release + "\n[[rule]]\nid = \"e\"\ndetector = \"email\"\n",
               "p.toml")
        .status()
        .message();
  };
  EXPECT_NE(bad("min_authors = 10").find("p.toml:6:15: [release]: 'min_authors' must be between 11"), std::string::npos)
      << bad("min_authors = 10");
  EXPECT_NE(bad("epsilon = 0").find("epsilon must be between"), std::string::npos);
  EXPECT_NE(bad("delta = 0.5").find("delta must be"), std::string::npos);
  EXPECT_NE(bad("epsilon = 2.0\nepsilon_cap = 1.0").find("epsilon_cap must be at least epsilon"), std::string::npos);
  EXPECT_NE(bad("budget = 3").find("unknown key 'budget'"), std::string::npos);
}

TEST(PolicyTest, MissingFile) {
  EXPECT_EQ(LoadPolicyFile("/nonexistent/p.toml").status().code(), StatusCode::kNotFound);
}

TEST(PolicyTest, ShippedPolicyPassesItsOwnTests) {
  auto p = LoadPolicyFile(testing::Source("policies/safe-harbor.toml"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_GE(p->tests.size(), 5u);
  auto d = Deidentifier::Create(std::move(p).value());
  ASSERT_TRUE(d.ok());
  const auto failures = RunPolicyTests(**d);
  for (const auto& f : failures) ADD_FAILURE() << f;
}

}  // namespace
}  // namespace peerpulse::deid
