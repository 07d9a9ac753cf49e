#include "peerpulse/crawler/jsonl_source.h"

#include <simdjson.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "peerpulse/crawler/parsers.h"
#include "peerpulse/pipeline/window.h"

namespace peerpulse::crawler {
namespace {

constexpr std::size_t kReadBlock = 1u << 16;
// Earliest and latest accepted created_at (1990-01-01, 2100-01-01): outside
// that a timestamp is a unit error (milliseconds) or garbage.
constexpr std::int64_t kMinTime = 631152000;
constexpr std::int64_t kMaxTime = 4102444800;

enum class LineKind { kLine, kTooLong, kUnterminated, kEnd };

bool ParseCursor(std::string_view cursor, std::uint64_t& offset, std::uint64_t& line) {
  if (!cursor.starts_with("v1:")) return false;
  cursor.remove_prefix(3);
  const auto colon = cursor.find(':');
  if (colon == std::string_view::npos) return false;
  const auto a = cursor.substr(0, colon);
  const auto b = cursor.substr(colon + 1);
  const auto ra = std::from_chars(a.data(), a.data() + a.size(), offset);
  const auto rb = std::from_chars(b.data(), b.data() + b.size(), line);
  return ra.ec == std::errc{} && ra.ptr == a.data() + a.size() && rb.ec == std::errc{} &&
         rb.ptr == b.data() + b.size() && !a.empty() && !b.empty();
}

// Reads an optional string field. Returns false (and sets `problem`) when the
// field exists with another type.
bool OptionalString(simdjson::dom::object obj, const char* key, std::string& out, std::string& problem) {
  simdjson::dom::element el;
  if (obj[key].get(el) != simdjson::SUCCESS || el.is_null()) return true;
  std::string_view sv;
  if (el.get_string().get(sv) != simdjson::SUCCESS) {
    problem = std::string("field '") + key + "' is not a string";
    return false;
  }
  out.assign(sv);
  return true;
}

}  // namespace

struct JsonlSource::Impl {
  std::FILE* file = nullptr;
  std::uint64_t offset = 0;  // byte offset of the first unconsumed line
  std::uint64_t line = 0;    // lines consumed so far
  std::string buf;           // bytes from `offset` on (from index `pos`)
  std::size_t pos = 0;
  bool eof = false;
  simdjson::dom::parser parser;

  ~Impl() {
    WipeString(buf);
    if (file != nullptr && file != stdin) std::fclose(file);
  }

  Status Fill() {
    if (pos > 0 && pos * 2 >= buf.size()) {
      buf.erase(0, pos);
      pos = 0;
    }
    const std::size_t old = buf.size();
    buf.resize(old + kReadBlock);
    const std::size_t n = std::fread(buf.data() + old, 1, kReadBlock, file);
    buf.resize(old + n);
    if (n < kReadBlock) {
      if (std::ferror(file)) return Status::IoError(std::strerror(errno));
      eof = true;
    }
    return Status::Ok();
  }

  // Finds the next line. On kLine/kUnterminated, `out` views it inside `buf`
  // (valid until the next call) and the line is not yet consumed: call
  // Consume(). On kTooLong the line was skipped and consumed already.
  Result<LineKind> NextLine(std::size_t max_bytes, std::string_view& out) {
    for (;;) {
      const char* begin = buf.data() + pos;
      const std::size_t avail = buf.size() - pos;
      const void* nl = std::memchr(begin, '\n', avail);
      if (nl != nullptr) {
        const auto len = static_cast<std::size_t>(static_cast<const char*>(nl) - begin);
        if (len > max_bytes) {
          Consume(len + 1);
          return LineKind::kTooLong;
        }
        out = std::string_view(begin, len);
        return LineKind::kLine;
      }
      if (avail > max_bytes) {
        // Skip to the end of this oversize line without holding it in memory.
        std::uint64_t skipped = avail;
        WipeString(buf);
        pos = 0;
        for (;;) {
          if (eof) {
            offset += skipped;
            ++line;
            return LineKind::kTooLong;
          }
          PEERPULSE_RETURN_IF_ERROR(Fill());
          const void* nl2 = std::memchr(buf.data(), '\n', buf.size());
          if (nl2 != nullptr) {
            const auto len = static_cast<std::size_t>(static_cast<const char*>(nl2) - buf.data());
            offset += skipped;
            Consume(len + 1);
            return LineKind::kTooLong;
          }
          skipped += buf.size();
          WipeString(buf);
        }
      }
      if (eof) {
        if (avail == 0) return LineKind::kEnd;
        out = std::string_view(begin, avail);
        return LineKind::kUnterminated;
      }
      PEERPULSE_RETURN_IF_ERROR(Fill());
    }
  }

  void Consume(std::size_t n) {
    pos += n;
    offset += n;
    ++line;
  }
};

JsonlSource::JsonlSource(JsonlSourceOptions options, std::unique_ptr<Impl> impl)
    : options_(std::move(options)), impl_(std::move(impl)) {}

JsonlSource::~JsonlSource() = default;

Result<std::unique_ptr<JsonlSource>> JsonlSource::Open(JsonlSourceOptions options, std::string_view cursor) {
  std::uint64_t offset = 0;
  std::uint64_t line = 0;
  if (!cursor.empty() && !ParseCursor(cursor, offset, line)) {
    return Status::InvalidArgument("source '" + options.name + "': cursor was not written by a jsonl source");
  }
  auto impl = std::make_unique<Impl>();
  if (options.path == "-") {
    // Standard input: read once from its start; a saved cursor means nothing
    // for another stream (dedup keys make a re-fed stream harmless).
    impl->file = stdin;
    return std::unique_ptr<JsonlSource>(new JsonlSource(std::move(options), std::move(impl)));
  }
  impl->file = std::fopen(options.path.c_str(), "rb");
  if (impl->file == nullptr) {
    const int e = errno;
    std::string m = options.path + ": " + std::strerror(e);
    return e == ENOENT ? Status::NotFound(std::move(m)) : Status::IoError(std::move(m));
  }
  if (std::fseek(impl->file, 0, SEEK_END) != 0) return Status::IoError(options.path + ": cannot seek");
  const long size = std::ftell(impl->file);
  if (size < 0) return Status::IoError(options.path + ": cannot tell size");
  if (offset > static_cast<std::uint64_t>(size)) {
    offset = 0;  // the file was replaced or truncated: start again (dedup keeps it idempotent)
    line = 0;
  }
  if (std::fseek(impl->file, static_cast<long>(offset), SEEK_SET) != 0) {
    return Status::IoError(options.path + ": cannot seek");
  }
  impl->offset = offset;
  impl->line = line;
  return std::unique_ptr<JsonlSource>(new JsonlSource(std::move(options), std::move(impl)));
}

Result<SourceBatch> JsonlSource::Next(std::size_t max_posts) {
  SourceBatch batch;
  Impl& s = *impl_;
  const std::string file = options_.path == "-" ? std::string("stdin") : options_.path;
  const auto where = [&](std::uint64_t line_no) { return file + ":" + std::to_string(line_no) + ": "; };
  while (batch.posts.size() < max_posts) {
    std::string_view line;
    auto kind = s.NextLine(options_.max_line_bytes, line);
    if (!kind.ok()) return kind.status().WithContext(options_.path);
    if (*kind == LineKind::kEnd) {
      batch.exhausted = true;
      break;
    }
    if (*kind == LineKind::kTooLong) {
      batch.record_errors.push_back(where(s.line) + "line longer than " + std::to_string(options_.max_line_bytes) +
                                    " bytes, skipped");
      continue;
    }
    const std::uint64_t line_no = s.line + 1;
    const bool terminated = *kind == LineKind::kLine;
    const std::size_t consumed = line.size() + (terminated ? 1 : 0);
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      if (!terminated) {
        batch.exhausted = true;
        break;
      }
      s.Consume(consumed);
      continue;
    }

    std::string problem;
    RawPost post;
    bool other_event = false;  // jetstream: an event that is not a new post
    const simdjson::padded_string padded(line);
    simdjson::dom::element doc;
    simdjson::dom::object obj;
    if (options_.format != JsonlFormat::kPeerpulse) {
      auto parsed = options_.format == JsonlFormat::kJetstream
                        ? ParseJetstreamEvent(line, options_.default_community, post)
                        : ParseApiRecord(options_.format == JsonlFormat::kMastodon ? RecordFormat::kMastodon
                                         : options_.format == JsonlFormat::kReddit ? RecordFormat::kReddit
                                                                                   : RecordFormat::kBluesky,
                                         line, options_.default_community, post);
      if (!parsed.ok()) {
        problem = parsed.status().message();
      } else if (!*parsed) {
        other_event = true;
      } else if (post.community.empty()) {
        problem = "the source has no community";
      }
    } else if (auto err = s.parser.parse(padded).get(doc); err != simdjson::SUCCESS) {
      problem = std::string("malformed JSON (") + simdjson::error_message(err) + ")";
    } else if (doc.get_object().get(obj) != simdjson::SUCCESS) {
      problem = "record is not a JSON object";
    } else {
      simdjson::dom::element el;
      // id: string or integer
      if (obj["id"].get(el) != simdjson::SUCCESS || el.is_null()) {
        problem = "missing field 'id'";
      } else if (std::string_view sv; el.get_string().get(sv) == simdjson::SUCCESS) {
        post.native_id.assign(sv);
      } else if (std::int64_t i; el.get_int64().get(i) == simdjson::SUCCESS) {
        post.native_id = std::to_string(i);
      } else {
        problem = "field 'id' is not a string or integer";
      }
      if (problem.empty() && post.native_id.empty()) problem = "field 'id' is empty";
      // author
      if (problem.empty()) {
        std::string_view sv;
        if (obj["author"].get(el) != simdjson::SUCCESS || el.is_null()) {
          problem = "missing field 'author'";
        } else if (el.get_string().get(sv) != simdjson::SUCCESS) {
          problem = "field 'author' is not a string";
        } else if (sv.empty()) {
          problem = "field 'author' is empty";
        } else {
          post.author.assign(sv);
        }
      }
      // created_at: RFC 3339 string or Unix seconds
      if (problem.empty()) {
        std::string_view sv;
        std::int64_t t = 0;
        if (obj["created_at"].get(el) != simdjson::SUCCESS || el.is_null()) {
          problem = "missing field 'created_at'";
        } else if (el.get_string().get(sv) == simdjson::SUCCESS) {
          auto parsed = ParseTimestamp(sv);
          if (parsed.ok()) {
            post.created_at = *parsed;
          } else {
            problem = "field 'created_at' is not an RFC 3339 timestamp";
          }
        } else if (el.get_int64().get(t) == simdjson::SUCCESS) {
          post.created_at = t;
        } else {
          problem = "field 'created_at' is not a string or integer";
        }
        if (problem.empty() && (post.created_at < kMinTime || post.created_at >= kMaxTime)) {
          problem = "field 'created_at' is outside 1990..2100";
        }
      }
      // text (+ title)
      if (problem.empty()) {
        std::string_view sv;
        if (obj["text"].get(el) != simdjson::SUCCESS || el.is_null()) {
          problem = "missing field 'text'";
        } else if (el.get_string().get(sv) != simdjson::SUCCESS) {
          problem = "field 'text' is not a string";
        } else {
          std::string title;
          if (OptionalString(obj, "title", title, problem) && !title.empty()) {
            post.text = std::move(title);
            post.text += "\n\n";
          }
          WipeString(title);
          post.text.append(sv);
        }
      }
      if (problem.empty() && OptionalString(obj, "community", post.community, problem) &&
          OptionalString(obj, "lang", post.lang, problem) && OptionalString(obj, "url", post.url, problem)) {
        if (post.community.empty()) post.community = options_.default_community;
        if (post.community.empty()) problem = "no 'community' and the source has no default community";
        if (post.lang.empty()) post.lang = "und";
      }
    }

    if (!problem.empty() && !terminated) {
      // Possibly a line still being written: leave it for the next run.
      batch.exhausted = true;
      break;
    }
    s.Consume(consumed);
    if (other_event) {
      ++batch.skipped;
      continue;
    }
    if (!problem.empty()) {
      batch.record_errors.push_back(where(line_no) + problem);
      continue;
    }
    post.source = options_.name;
    batch.posts.push_back(std::move(post));
  }
  batch.cursor = "v1:" + std::to_string(s.offset) + ":" + std::to_string(s.line);
  return batch;
}

}  // namespace peerpulse::crawler
