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
  EXPECT_NE(s.message().find("p.toml:8:11: rule 'r1': invalid pattern: missing )"), std::string::npos)
      << s.message();

  s = ErrorOf("[[rule]]\nid = \"r2\"\ndetector = \"email\"\nbogus = 1\n");
  EXPECT_NE(s.message().find("p.toml:8:1: rule 'r2': unknown key 'bogus'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r3\"\ndetector = \"nosuch\"\n");
  EXPECT_NE(s.message().find("rule 'r3': unknown detector 'nosuch'"), std::string::npos) << s.message();

  s = ErrorOf("[[rule]]\nid = \"r4\"\ndetector = \"email\"\naction = \"obliterate\"\n");
  EXPECT_NE(s.message().find("p.toml:8:10: rule 'r4': unknown action 'obliterate'"), std::string::npos)
      << s.message();

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
