// TomlReader: strict reading of peerpulse's TOML files (policies, taxonomies,
// jobs) with errors that name FILE:LINE:COLUMN.
//
// Internal helper shared by the stages that read TOML; it includes toml++ and
// so is linked privately. toml++ exceptions never leave this helper.
#ifndef PEERPULSE_PIPELINE_TOML_READER_H_
#define PEERPULSE_PIPELINE_TOML_READER_H_

#include <toml++/toml.h>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse {

// Parses `text`. Errors: InvalidConfig "PATH:LINE:COL: <toml++ description>".
Result<toml::table> ParseToml(std::string_view text, std::string_view path);

// Reads a whole file into `out`. Errors: NotFound or IoError naming the path.
Status ReadWholeFile(const std::string& path, std::string& out);

// A whole file mapped read-only into memory, for large data files (place
// lists of tens of MB) read once at start-up: no copy and no zero-filled
// buffer. The view stays valid while the object lives; an empty file gives an
// empty view. Errors of Open: NotFound or IoError naming the path, also for
// what is no regular file. For files that are replaced rather than rewritten
// in place (npm installs; editors that save by renaming): a file truncated
// while mapped faults on reading past its new end.
class MappedFile {
 public:
  static Result<MappedFile> Open(const std::string& path);
  MappedFile(MappedFile&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr, o.size_ = 0; }
  MappedFile& operator=(MappedFile&& o) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view view() const { return {static_cast<const char*>(data_), size_}; }

 private:
  MappedFile(void* data, std::size_t size) : data_(data), size_(size) {}
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

// Calls `each(line, line_no, where)` for every line of the file at `path`
// that is not blank, `where` being "PATH:LINE: " for messages. Stops at the
// first error `each` returns and returns it. Errors: NotFound when the file
// cannot be opened, IoError when reading fails midway. Lines are wiped after
// use (they may hold post text).
Status ForEachFileLine(
    const std::string& path,
    const std::function<Status(std::string& line, std::size_t line_no, const std::string& where)>& each);

// Writes `content` to PATH.tmp and renames it over `path`, so that readers
// see the old or the new file, never a part. Errors: IoError naming the path.
Status WriteFileAtomically(const std::string& path, const std::string& content);

// Validates and reads values of one table, collecting the first error.
class TomlReader {
 public:
  // `context` is added to messages, e.g. "rule 'email'".
  TomlReader(const toml::table& table, std::string_view path, std::string context = {});

  // InvalidConfig at the first key of the table that is not in `allowed`.
  Status CheckKeys(std::initializer_list<std::string_view> allowed) const;

  // Each getter returns false and records an error when the key has the wrong
  // type, or is missing while `required`. A missing optional key leaves `out`.
  bool String(std::string_view key, std::string& out, bool required = false);
  bool Int(std::string_view key, std::int64_t& out, bool required = false, std::int64_t min = INT64_MIN,
           std::int64_t max = INT64_MAX);
  bool Double(std::string_view key, double& out, bool required = false);
  bool Bool(std::string_view key, bool& out, bool required = false);
  bool StringArray(std::string_view key, std::vector<std::string>& out, bool required = false);
  // Array of tables (`[[key]]`); missing gives an empty vector.
  bool Tables(std::string_view key, std::vector<const toml::table*>& out, bool required = false);
  // A sub-table (`[key]`); missing gives nullptr.
  bool Table(std::string_view key, const toml::table*& out, bool required = false);

  // The first error recorded (OK if none).
  const Status& status() const { return status_; }
  // "PATH:LINE:COL" of `node`, or of this table if `node` has no source.
  std::string Where(const toml::node* node = nullptr) const;
  // Records an InvalidConfig error at `node` (keeps the first one).
  bool Fail(const toml::node* node, std::string_view message);

 private:
  const toml::table& table_;
  std::string path_;
  std::string context_;
  Status status_;
};

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_TOML_READER_H_
