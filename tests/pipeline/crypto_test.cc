#include "peerpulse/pipeline/crypto.h"

#include <gtest/gtest.h>

#include <set>

namespace peerpulse {
namespace {

TEST(CryptoTest, Sha256KnownAnswer) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CryptoTest, HmacSha256Rfc4231Case2) {
  const std::string key = "Jefe";
  const auto d = HmacSha256({reinterpret_cast<const std::uint8_t*>(key.data()), key.size()},
                            "what do ya want for nothing?");
  EXPECT_EQ(HexEncode(d), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(CryptoTest, RandomBelowStaysInRangeAndVaries) {
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const auto v = SecureRandomBelow(10);
    ASSERT_LT(v, 10u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 10u);  // P(miss a value in 2000 draws) < 1e-90
  EXPECT_EQ(SecureRandomBelow(1), 0u);
}

}  // namespace
}  // namespace peerpulse
