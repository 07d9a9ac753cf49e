#include "peerpulse/pipeline/crypto.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>

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

TEST(CryptoTest, HmacSha256RekeysBetweenCallsAndThreads) {
  const std::string key1(20, '\x0b');
  const std::string key2 = "Jefe";
  const std::span<const std::uint8_t> k1{reinterpret_cast<const std::uint8_t*>(key1.data()), key1.size()};
  const std::span<const std::uint8_t> k2{reinterpret_cast<const std::uint8_t*>(key2.data()), key2.size()};
  for (int i = 0; i < 3; ++i) {  // RFC 4231 cases 1 and 2, alternating keys on one context
    EXPECT_EQ(HexEncode(HmacSha256(k1, "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(HexEncode(HmacSha256(k2, "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }
  std::string other;
  std::thread t([&] { other = HexEncode(HmacSha256(k1, "Hi There")); });
  t.join();
  EXPECT_EQ(other, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
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
