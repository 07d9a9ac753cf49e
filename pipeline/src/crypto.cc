#include "peerpulse/pipeline/crypto.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <cstdlib>
#include <limits>

namespace peerpulse {

std::string HexEncode(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  Digest d{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), d.data(), &len, EVP_sha256(), nullptr) != 1 || len != d.size()) {
    std::abort();  // OpenSSL cannot compute SHA-256: a broken platform
  }
  return HexEncode(d);
}

Digest HmacSha256(std::span<const std::uint8_t> key, std::string_view message) {
  Digest d{};
  unsigned int len = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), d.data(), &len) == nullptr ||
      len != d.size()) {
    std::abort();
  }
  return d;
}

Status SecureRandomBytes(std::span<std::uint8_t> out) {
  if (out.empty()) return Status::Ok();
  if (out.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    return Status::Internal("the OS random generator failed");
  }
  return Status::Ok();
}

std::uint64_t SecureRandomBelow(std::uint64_t bound) {
  if (bound == 0) std::abort();
  // Rejection sampling: accept r only below the largest multiple of bound.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                              (std::numeric_limits<std::uint64_t>::max() % bound);
  for (;;) {
    std::array<std::uint8_t, 8> buf{};
    if (!SecureRandomBytes(buf).ok()) std::abort();
    std::uint64_t r = 0;
    for (const std::uint8_t b : buf) r = (r << 8) | b;
    if (r < limit) return r % bound;
  }
}

}  // namespace peerpulse
