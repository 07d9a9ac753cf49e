#include "peerpulse/pipeline/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace peerpulse {
namespace {

TEST(StatusTest, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, ErrorCarriesCodeAndMessage) {
  const Status s = Status::InvalidConfig("p.toml:3:1: unknown key 'x'");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidConfig);
  EXPECT_EQ(s.ToString(), "InvalidConfig: p.toml:3:1: unknown key 'x'");
  EXPECT_EQ(s.WithContext("job demo").message(), "job demo: p.toml:3:1: unknown key 'x'");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
}

Result<int> Half(int v) {
  if (v % 2 != 0) return Status::InvalidArgument("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  PEERPULSE_ASSIGN_OR_RETURN(const int h, Half(v));
  return Half(h);
}

TEST(ResultTest, ValueAndErrorPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  const auto r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd");
}

TEST(ResultTest, HoldsMoveOnlyTypes) {
  Result<std::unique_ptr<int>> r(std::make_unique<int>(7));
  ASSERT_TRUE(r.ok());
  std::unique_ptr<int> p = std::move(r).value();
  EXPECT_EQ(*p, 7);
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  const Result<int> r = Status::Internal("x");
  EXPECT_DEATH((void)r.value(), "");
}

}  // namespace
}  // namespace peerpulse
