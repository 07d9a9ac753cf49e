// WindowKeyring: one random 32-byte key per window, in <dir>/<window>.key
// (0600) outside the database. Thread-safe.
#ifndef PEERPULSE_STORE_SRC_KEYRING_H_
#define PEERPULSE_STORE_SRC_KEYRING_H_

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "peerpulse/pipeline/pseudonymizer.h"

namespace peerpulse::store {

class WindowKeyring final : public Pseudonymizer {
 public:
  using Key = std::array<std::uint8_t, 32>;
  // `is_released` is asked before a key is created or used; released windows
  // have no key and get FailedPrecondition.
  WindowKeyring(std::string dir, std::function<Result<bool>(const Window&)> is_released);
  ~WindowKeyring() override;

  // Creates `dir` (0700) if needed and checks its permissions.
  Status Init();

  Result<Digest> Pseudonym(const Window& window, std::string_view domain, std::string_view value) override;

  // Overwrites and removes the key file of `window` and forgets the cached key.
  // Missing files are fine.
  Status Destroy(const std::string& window_name);

 private:
  Result<Key> GetOrCreate(const Window& window);
  std::string PathOf(const std::string& window_name) const;

  std::string dir_;
  std::function<Result<bool>(const Window&)> is_released_;
  std::mutex mu_;
  std::map<std::string, Key> cache_;
};

}  // namespace peerpulse::store

#endif  // PEERPULSE_STORE_SRC_KEYRING_H_
