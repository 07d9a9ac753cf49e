#include "keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <openssl/crypto.h>

namespace peerpulse::store {
namespace {

Status Errno(const std::string& what) { return Status::IoError(what + ": " + std::strerror(errno)); }

Status WriteAll(int fd, const std::uint8_t* data, std::size_t n, const std::string& path) {
  while (n > 0) {
    const ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Errno(path);
    }
    data += w;
    n -= static_cast<std::size_t>(w);
  }
  return Status::Ok();
}

}  // namespace

WindowKeyring::WindowKeyring(std::string dir, std::function<Result<bool>(const Window&)> is_released)
    : dir_(std::move(dir)), is_released_(std::move(is_released)) {}

WindowKeyring::~WindowKeyring() {
  for (auto& [name, key] : cache_) OPENSSL_cleanse(key.data(), key.size());
}

Status WindowKeyring::Init() {
  if (::mkdir(dir_.c_str(), 0700) != 0 && errno != EEXIST) return Errno(dir_);
  struct stat st {};
  if (::stat(dir_.c_str(), &st) != 0) return Errno(dir_);
  if (!S_ISDIR(st.st_mode)) return Status::IoError(dir_ + ": not a directory");
  if ((st.st_mode & 077) != 0 && ::chmod(dir_.c_str(), 0700) != 0) return Errno(dir_);
  return Status::Ok();
}

std::string WindowKeyring::PathOf(const std::string& window_name) const { return dir_ + "/" + window_name + ".key"; }

Result<WindowKeyring::Key> WindowKeyring::GetOrCreate(const Window& window) {
  const std::string name = window.Name();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(name); it != cache_.end()) return it->second;
  }
  PEERPULSE_ASSIGN_OR_RETURN(const bool released, is_released_(window));
  if (released) return Status::FailedPrecondition("window " + name + " is released; its key is destroyed");

  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = cache_.find(name); it != cache_.end()) return it->second;
  const std::string path = PathOf(name);
  Key key{};
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    // New key: write to the exclusive file and sync before anyone uses it.
    Status st = SecureRandomBytes(key);
    if (st.ok()) st = WriteAll(fd, key.data(), key.size(), path);
    if (st.ok() && ::fsync(fd) != 0) st = Errno(path);
    ::close(fd);
    if (!st.ok()) {
      ::unlink(path.c_str());
      return st;
    }
  } else if (errno == EEXIST) {
    // Another process (or an earlier run) made it: read it, waiting briefly
    // for a concurrent creator to finish writing.
    for (int attempt = 0;; ++attempt) {
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) return Errno(path);
      const ssize_t n = ::read(fd, key.data(), key.size());
      ::close(fd);
      if (n == static_cast<ssize_t>(key.size())) break;
      if (attempt >= 50) return Status::DataLoss(path + ": key file is truncated");
      ::usleep(20000);
    }
  } else {
    return Errno(path);
  }
  cache_[name] = key;
  return key;
}

Result<Digest> WindowKeyring::Pseudonym(const Window& window, std::string_view domain, std::string_view value) {
  PEERPULSE_ASSIGN_OR_RETURN(Key key, GetOrCreate(window));
  std::string message;
  message.reserve(domain.size() + 1 + value.size());
  message.append(domain);
  message.push_back('\0');
  message.append(value);
  const Digest d = HmacSha256(key, message);
  OPENSSL_cleanse(message.data(), message.size());
  OPENSSL_cleanse(key.data(), key.size());
  return d;
}

Status WindowKeyring::Destroy(const std::string& window_name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(window_name); it != cache_.end()) {
      OPENSSL_cleanse(it->second.data(), it->second.size());
      cache_.erase(it);
    }
  }
  const std::string path = PathOf(window_name);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Status::Ok() : Errno(path);
  const Key zeros{};
  Status st = WriteAll(fd, zeros.data(), zeros.size(), path);
  if (st.ok() && ::fsync(fd) != 0) st = Errno(path);
  ::close(fd);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno(path);
  return st;
}

}  // namespace peerpulse::store
