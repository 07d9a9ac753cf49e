#include "peerpulse/pipeline/raw_post.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <ostream>
#include <type_traits>

#include "peerpulse/pipeline/clean_post.h"

namespace peerpulse {
namespace {

// The privacy contract is checked at compile time: no copies, no formatting.
static_assert(!std::is_copy_constructible_v<RawPost>);
static_assert(!std::is_copy_assignable_v<RawPost>);
static_assert(std::is_nothrow_move_constructible_v<RawPost>);
static_assert(!fmt::is_formattable<RawPost>::value, "RawPost must not be loggable");
static_assert(!std::is_copy_constructible_v<CleanPost>);
// Only the Deidentifier can make a CleanPost::Key, hence a CleanPost.
static_assert(!std::is_default_constructible_v<CleanPost::Key>);

template <typename T, typename = void>
struct Streamable : std::false_type {};
template <typename T>
struct Streamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};
static_assert(!Streamable<RawPost>::value, "RawPost must have no operator<<");

TEST(RawPostTest, MoveTransfersFields) {
  RawPost a;
  a.text = "hello";
  a.author = "someone";
  RawPost b = std::move(a);
  EXPECT_EQ(b.text, "hello");
  EXPECT_EQ(b.author, "someone");
}

TEST(RawPostTest, WipeStringOverwritesAndClears) {
  std::string s = "secret text long enough to be on the heap";
  const char* data = s.data();
  const std::size_t n = s.size();
  WipeString(s);
  EXPECT_TRUE(s.empty());
  // The buffer is still owned by `s` (clear() keeps capacity): it must be zeros.
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(data[i], '\0');
}

}  // namespace
}  // namespace peerpulse
