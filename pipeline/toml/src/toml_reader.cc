#include "peerpulse/pipeline/toml_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace peerpulse {
namespace {

std::string Pos(std::string_view path, const toml::source_position& p) {
  std::string s(path);
  s += ':';
  s += std::to_string(p.line);
  s += ':';
  s += std::to_string(p.column);
  return s;
}

}  // namespace

Result<toml::table> ParseToml(std::string_view text, std::string_view path) {
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidConfig(Pos(path, e.source().begin) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Status::InvalidConfig(std::string(path) + ": " + e.what());
  }
}

Status ReadWholeFile(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int e = errno;
    std::string m = path + ": " + std::strerror(e);
    return e == ENOENT ? Status::NotFound(std::move(m)) : Status::IoError(std::move(m));
  }
  // A regular file is read in one call into a buffer of its size (the place
  // lists are tens of MB: a growing stream buffer copied them several times).
  std::error_code ec;
  const auto size = std::filesystem::is_regular_file(path, ec) ? std::filesystem::file_size(path, ec) : 0;
  if (!ec && size > 0) {
    out.resize(static_cast<std::size_t>(size));
    in.read(out.data(), static_cast<std::streamsize>(size));
    out.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return Status::IoError(path + ": read failed");
    if (in.eof()) return Status::Ok();  // the file shrank while read
  } else {
    out.clear();
  }
  std::ostringstream ss;  // what is left: a file that grew, a pipe, /proc
  if (in.peek() != std::char_traits<char>::eof()) ss << in.rdbuf();
  if (in.bad()) return Status::IoError(path + ": read failed");
  out += std::move(ss).str();
  return Status::Ok();
}

Result<MappedFile> MappedFile::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    std::string m = path + ": " + std::strerror(e);
    return e == ENOENT ? Status::NotFound(std::move(m)) : Status::IoError(std::move(m));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::IoError(path + ": not a regular file");
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* data = nullptr;
  if (size > 0) {
    data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (data == MAP_FAILED) {
      const int e = errno;
      ::close(fd);
      return Status::IoError(path + ": " + std::strerror(e));
    }
  }
  ::close(fd);
  return MappedFile(data, size);
}

MappedFile& MappedFile::operator=(MappedFile&& o) noexcept {
  if (this != &o) {
    if (data_ != nullptr) ::munmap(data_, size_);
    data_ = o.data_;
    size_ = o.size_;
    o.data_ = nullptr;
    o.size_ = 0;
  }
  return *this;
}

MappedFile::~MappedFile() {
  if (data_ != nullptr) ::munmap(data_, size_);
}

Status ForEachFileLine(
    const std::string& path,
    const std::function<Status(std::string& line, std::size_t line_no, const std::string& where)>& each) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open");
  std::string line;
  std::size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Status st = each(line, line_no, path + ":" + std::to_string(line_no) + ": ");
    std::fill(line.begin(), line.end(), '\0');
    if (!st.ok()) return st;
  }
  if (in.bad()) return Status::IoError(path + ": read failed after line " + std::to_string(line_no));
  return Status::Ok();
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  const std::string tmp = path + ".tmp";
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return Status::IoError(tmp + ": " + std::strerror(errno));
    const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    if (std::fclose(f) != 0 || !ok) return Status::IoError(tmp + ": write failed");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::IoError(path + ": " + std::strerror(errno));
  return Status::Ok();
}

TomlReader::TomlReader(const toml::table& table, std::string_view path, std::string context)
    : table_(table), path_(path), context_(std::move(context)) {}

std::string TomlReader::Where(const toml::node* node) const {
  const toml::source_region& src = node != nullptr ? node->source() : table_.source();
  return Pos(path_, src.begin);
}

bool TomlReader::Fail(const toml::node* node, std::string_view message) {
  if (status_.ok()) {
    std::string m = Where(node) + ": ";
    if (!context_.empty()) m += context_ + ": ";
    m += message;
    status_ = Status::InvalidConfig(std::move(m));
  }
  return false;
}

Status TomlReader::CheckKeys(std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, node] : table_) {
    bool ok = false;
    for (const auto a : allowed) ok = ok || key.str() == a;
    if (!ok) {
      std::string m = Pos(path_, key.source().begin) + ": ";
      if (!context_.empty()) m += context_ + ": ";
      m += "unknown key '" + std::string(key.str()) + "'";
      return Status::InvalidConfig(std::move(m));
    }
  }
  return Status::Ok();
}

bool TomlReader::String(std::string_view key, std::string& out, bool required) {
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing key '" + std::string(key) + "'") : true;
  const auto* v = n->as_string();
  if (v == nullptr) return Fail(n, "'" + std::string(key) + "' must be a string");
  out = v->get();
  return true;
}

bool TomlReader::Int(std::string_view key, std::int64_t& out, bool required, std::int64_t min, std::int64_t max) {
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing key '" + std::string(key) + "'") : true;
  const auto* v = n->as_integer();
  if (v == nullptr) return Fail(n, "'" + std::string(key) + "' must be an integer");
  if (v->get() < min || v->get() > max) {
    return Fail(n, "'" + std::string(key) + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  out = v->get();
  return true;
}

bool TomlReader::Double(std::string_view key, double& out, bool required) {
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing key '" + std::string(key) + "'") : true;
  if (const auto* f = n->as_floating_point()) {
    out = f->get();
    return true;
  }
  if (const auto* i = n->as_integer()) {
    out = static_cast<double>(i->get());
    return true;
  }
  return Fail(n, "'" + std::string(key) + "' must be a number");
}

bool TomlReader::Bool(std::string_view key, bool& out, bool required) {
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing key '" + std::string(key) + "'") : true;
  const auto* v = n->as_boolean();
  if (v == nullptr) return Fail(n, "'" + std::string(key) + "' must be true or false");
  out = v->get();
  return true;
}

bool TomlReader::StringArray(std::string_view key, std::vector<std::string>& out, bool required) {
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing key '" + std::string(key) + "'") : true;
  const auto* arr = n->as_array();
  if (arr == nullptr) return Fail(n, "'" + std::string(key) + "' must be an array of strings");
  out.clear();
  for (const auto& el : *arr) {
    const auto* s = el.as_string();
    if (s == nullptr) return Fail(&el, "'" + std::string(key) + "' must hold only strings");
    out.push_back(s->get());
  }
  return true;
}

bool TomlReader::Tables(std::string_view key, std::vector<const toml::table*>& out, bool required) {
  out.clear();
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing [[" + std::string(key) + "]]") : true;
  const auto* arr = n->as_array();
  if (arr == nullptr) return Fail(n, "'" + std::string(key) + "' must be written as [[" + std::string(key) + "]]");
  for (const auto& el : *arr) {
    const auto* t = el.as_table();
    if (t == nullptr) return Fail(&el, "'" + std::string(key) + "' must hold only tables");
    out.push_back(t);
  }
  return true;
}

bool TomlReader::Table(std::string_view key, const toml::table*& out, bool required) {
  out = nullptr;
  const toml::node* n = table_.get(key);
  if (n == nullptr) return required ? Fail(nullptr, "missing [" + std::string(key) + "]") : true;
  out = n->as_table();
  if (out == nullptr) return Fail(n, "'" + std::string(key) + "' must be a table");
  return true;
}

}  // namespace peerpulse
