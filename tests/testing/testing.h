// Test helpers: temporary directories, file I/O, running the peerpulse CLI.
#ifndef PEERPULSE_TESTS_TESTING_TESTING_H_
#define PEERPULSE_TESTS_TESTING_TESTING_H_

#include <string>
#include <vector>

namespace peerpulse::testing {

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);
// Every regular file below `dir`, recursively.
std::vector<std::string> ListFiles(const std::string& dir);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the peerpulse CLI with `args` (each passed as one argument), capturing
// stdout and stderr; stdin is `stdin_path` (default /dev/null).
CommandResult RunCli(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null");

// Starts the peerpulse CLI with `args` in the background (stdin, stdout and
// stderr on /dev/null) and returns its pid; the caller waits for it.
int SpawnCli(const std::vector<std::string>& args);

// Adds a test failure for the first case-insensitive occurrence of `marker`
// (give it in lower case) in `bytes`, quoting the bytes around it and `where`.
void ExpectNoMarker(const std::string& where, const std::string& bytes, const std::string& marker);

// Path under the source tree, e.g. Source("policies/safe-harbor.toml").
std::string Source(const std::string& relative);

}  // namespace peerpulse::testing

#endif  // PEERPULSE_TESTS_TESTING_TESTING_H_
