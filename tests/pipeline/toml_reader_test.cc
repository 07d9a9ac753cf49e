#include "peerpulse/pipeline/toml_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "testing/testing.h"

namespace peerpulse {
namespace {

// Whole files, read and mapped, give the same bytes, including NUL bytes and
// a file larger than any stream buffer; a missing file is NotFound by name.
TEST(TomlReaderTest, ReadsAndMapsWholeFiles) {
  testing::TempDir dir;
  std::string big(3'000'017, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4093) big[i] = static_cast<char>(i % 251);
  testing::WriteFile(dir.Join("big"), big);
  testing::WriteFile(dir.Join("empty"), "");

  std::string read;
  ASSERT_TRUE(ReadWholeFile(dir.Join("big"), read).ok());
  EXPECT_EQ(read, big);
  auto mapped = MappedFile::Open(dir.Join("big"));
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  EXPECT_EQ(mapped->view(), big);
  MappedFile moved = std::move(mapped).value();
  EXPECT_EQ(moved.view(), big);

  ASSERT_TRUE(ReadWholeFile(dir.Join("empty"), read).ok());
  EXPECT_EQ(read, "");
  auto empty = MappedFile::Open(dir.Join("empty"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->view().empty());

  const Status missing = ReadWholeFile(dir.Join("none"), read);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("none"), std::string::npos);
  EXPECT_EQ(MappedFile::Open(dir.Join("none")).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(MappedFile::Open(dir.path()).ok());  // a directory
}

}  // namespace
}  // namespace peerpulse
