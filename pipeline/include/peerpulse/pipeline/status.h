// Status and Result<T>: how every peerpulse library reports failure.
//
// Library code never throws; it returns a Status (success or an error code
// with a message) or a Result<T> (a value or an error Status). Messages name a
// file, line, rule, source or host — never the content of a post.
//
// Both types are values: cheap to move, safe to copy, not thread-safe to
// mutate from two threads at once (like std::string).
#ifndef PEERPULSE_PIPELINE_STATUS_H_
#define PEERPULSE_PIPELINE_STATUS_H_

#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace peerpulse {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // a caller passed something malformed (bad option, bad line)
  kInvalidConfig,     // a policy, taxonomy or job file is invalid (CLI exit 3)
  kNotFound,          // a file, source or window does not exist
  kIoError,           // the OS refused a read or write
  kDataLoss,          // stored data is corrupt or truncated
  kFailedPrecondition,// the operation is not allowed in the current state
  kResourceExhausted, // a limit (size, budget) was reached
  kUnavailable,       // a remote host or service failed; retrying may help
  kInternal,          // a bug or an unexpected dependency failure
};

// Returns a short stable name such as "InvalidConfig".
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // The default Status is OK.
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return {}; }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status InvalidConfig(std::string m) { return {StatusCode::kInvalidConfig, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status DataLoss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status ResourceExhausted(std::string m) { return {StatusCode::kResourceExhausted, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  // Returns a copy whose message is "<prefix>: <message>" (for adding context
  // such as a file name while an error travels up). OK stays OK.
  Status WithContext(std::string_view prefix) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Either a T or a non-OK Status. Accessing value() of an error aborts (a
// broken precondition), as does building a Result from an OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.ok()) std::abort();
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & { Check(); return *value_; }
  const T& value() const& { Check(); return *value_; }
  // By value, so that `for (auto& x : F().value().items)` cannot dangle.
  T value() && { Check(); return std::move(*value_); }
  T* operator->() { Check(); return &*value_; }
  const T* operator->() const { Check(); return &*value_; }
  T& operator*() & { Check(); return *value_; }
  const T& operator*() const& { Check(); return *value_; }

 private:
  void Check() const {
    if (!value_.has_value()) std::abort();
  }
  std::optional<T> value_;
  Status status_;
};

}  // namespace peerpulse

// Returns early from the enclosing function when `expr` (a Status) is not OK.
#define PEERPULSE_RETURN_IF_ERROR(expr)            \
  do {                                             \
    ::peerpulse::Status _pp_status = (expr);       \
    if (!_pp_status.ok()) return _pp_status;       \
  } while (false)

#define PEERPULSE_CONCAT_INNER_(a, b) a##b
#define PEERPULSE_CONCAT_(a, b) PEERPULSE_CONCAT_INNER_(a, b)

// Declares `lhs` from a Result expression, or returns its error.
#define PEERPULSE_ASSIGN_OR_RETURN(lhs, expr)                                 \
  auto PEERPULSE_CONCAT_(_pp_result_, __LINE__) = (expr);                      \
  if (!PEERPULSE_CONCAT_(_pp_result_, __LINE__).ok())                          \
    return PEERPULSE_CONCAT_(_pp_result_, __LINE__).status();                  \
  lhs = std::move(PEERPULSE_CONCAT_(_pp_result_, __LINE__)).value()

#endif  // PEERPULSE_PIPELINE_STATUS_H_
