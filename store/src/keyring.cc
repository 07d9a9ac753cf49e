#include "keyring.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

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

// What a key file holds.
enum class KeyFile { kWhole, kMissing, kShort };

Result<KeyFile> ReadKeyFile(const std::string& path, WindowKeyring::Key& key) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return KeyFile::kMissing;
    return Errno(path);
  }
  const ssize_t n = ::read(fd, key.data(), key.size());
  ::close(fd);
  if (n < 0) return Errno(path);
  return n == static_cast<ssize_t>(key.size()) ? KeyFile::kWhole : KeyFile::kShort;
}

// A new key is written to "<window>.key.new.<pid>" and linked into place whole.
constexpr std::string_view kNewMarker = ".key.new.";

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
  // A new key that a killed process wrote and never linked into place: no post was
  // pseudonymised with it. Removed when that process is gone.
  if (DIR* d = ::opendir(dir_.c_str())) {
    while (const dirent* e = ::readdir(d)) {
      const std::string_view name(e->d_name);
      const std::size_t at = name.find(kNewMarker);
      if (at == std::string_view::npos) continue;
      const std::string pid_text(name.substr(at + kNewMarker.size()));
      char* end = nullptr;
      const long pid = std::strtol(pid_text.c_str(), &end, 10);
      if (pid <= 0 || *end != '\0' || (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)) {
        ::unlink((dir_ + "/" + std::string(name)).c_str());
      }
    }
    ::closedir(d);
  }
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
  // A key file appears whole: a new key is written and synced aside, then linked into place
  // (link fails when another process linked its own first, whose key is then read). So a kill
  // at any point leaves no key file or a whole one.
  for (int attempt = 0;; ++attempt) {
    if (attempt >= 8) return Status::DataLoss(path + ": the key file could not be created");
    PEERPULSE_ASSIGN_OR_RETURN(const KeyFile state, ReadKeyFile(path, key));
    if (state == KeyFile::kWhole) break;
    if (state == KeyFile::kShort) {
      // Left by an older version killed while writing in place: never used, as readers
      // waited for a whole key. Removed, and made anew.
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) return Errno(path);
      continue;
    }
    const std::string aside = dir_ + "/" + name + std::string(kNewMarker) + std::to_string(::getpid());
    const int fd = ::open(aside.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return Errno(aside);
    Status st = SecureRandomBytes(key);
    if (st.ok()) st = WriteAll(fd, key.data(), key.size(), aside);
    if (st.ok() && ::fsync(fd) != 0) st = Errno(aside);
    ::close(fd);
    const int linked = st.ok() ? ::link(aside.c_str(), path.c_str()) : -1;
    const int link_errno = errno;
    ::unlink(aside.c_str());
    if (!st.ok()) return st;
    if (linked == 0) {
      // The link itself must survive a crash before the key is used.
      if (const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        const bool synced = ::fsync(dfd) == 0;
        ::close(dfd);
        if (!synced) return Errno(dir_);
      }
      break;
    }
    if (link_errno != EEXIST) {
      errno = link_errno;
      return Errno(path);
    }
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
