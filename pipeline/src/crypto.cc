#include "peerpulse/pipeline/crypto.h"

#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
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

namespace {

// OpenSSL 3's one-shot HMAC() fetches the algorithm on every call, which
// costs more than the MAC itself on short messages. The MAC is fetched once
// and each thread keeps one context, re-keyed per call.
EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (mac == nullptr) std::abort();  // OpenSSL without HMAC: a broken platform
  return mac;
}

struct MacContext {
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_new(HmacAlgorithm());
  ~MacContext() { EVP_MAC_CTX_free(ctx); }  // clears the key material it held
};

}  // namespace

Digest HmacSha256(std::span<const std::uint8_t> key, std::string_view message) {
  thread_local MacContext mc;
  if (mc.ctx == nullptr) std::abort();
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest_name, 0), OSSL_PARAM_construct_end()};
  Digest d{};
  std::size_t len = 0;
  if (EVP_MAC_init(mc.ctx, key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(mc.ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      EVP_MAC_final(mc.ctx, d.data(), &len, d.size()) != 1 || len != d.size()) {
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
