// Pseudonymizer: turns identifiers into keyed HMAC-SHA256 pseudonyms under a
// per-window secret key that is kept apart from the data (design.md, promise 4).
//
// The store implements it (keys live in files next to, not inside, the
// database, and are destroyed when the window is released); the de-identifier
// calls it. Implementations must be thread-safe.
#ifndef PEERPULSE_PIPELINE_PSEUDONYMIZER_H_
#define PEERPULSE_PIPELINE_PSEUDONYMIZER_H_

#include <string_view>

#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/status.h"
#include "peerpulse/pipeline/window.h"

namespace peerpulse {

class Pseudonymizer {
 public:
  virtual ~Pseudonymizer() = default;

  // HMAC-SHA256 of `domain` || 0x00 || `value` under the key of `window`,
  // creating the key on first use. Errors: FailedPrecondition when the window
  // was already released (its key is gone), IoError when the key cannot be
  // read or created.
  virtual Result<Digest> Pseudonym(const Window& window, std::string_view domain, std::string_view value) = 0;
};

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_PSEUDONYMIZER_H_
