// Small cryptographic helpers (OpenSSL underneath, linked privately).
// All functions are thread-safe.
#ifndef PEERPULSE_PIPELINE_CRYPTO_H_
#define PEERPULSE_PIPELINE_CRYPTO_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "peerpulse/pipeline/status.h"

namespace peerpulse {

using Digest = std::array<std::uint8_t, 32>;

// SHA-256 of `data`, as 64 lowercase hex characters.
std::string Sha256Hex(std::string_view data);

// HMAC-SHA256 of `message` under `key`.
Digest HmacSha256(std::span<const std::uint8_t> key, std::string_view message);

// Fills `out` from the OS CSPRNG (OpenSSL RAND_bytes, seeded by getrandom).
// Returns Internal if the generator fails; never returns weak bytes.
Status SecureRandomBytes(std::span<std::uint8_t> out);

// A uniformly random integer in [0, bound) from the CSPRNG, without modulo
// bias. `bound` must be > 0. Aborts if the CSPRNG fails (a broken platform).
std::uint64_t SecureRandomBelow(std::uint64_t bound);

// Lowercase hex of `bytes`.
std::string HexEncode(std::span<const std::uint8_t> bytes);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_CRYPTO_H_
