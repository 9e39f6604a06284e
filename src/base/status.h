// Status and Result<T>: how expected failures cross module boundaries.
#pragma once

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tandem {

// The closed set of error codes every module uses. api/problem.cc maps them to HTTP.
enum class Code {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong; retrying it unchanged fails again
  kNotFound,            // the thing named does not exist
  kAlreadyExists,       // a create collided with an existing thing
  kConflict,            // the request contradicts stored state (e.g. reused id, stale version)
  kFailedPrecondition,  // the system is not in a state that allows it (e.g. store held by a server)
  kPermissionDenied,    // the caller may not do it
  kUnauthenticated,     // the caller is not known
  kUnavailable,         // try again later
  kDeadlineExceeded,
  kTooLarge,  // the input is over a size limit
  kInternal,  // a bug or an environment failure
};

const char* CodeName(Code code);

// One invalid field or row, for validation failures.
struct FieldError {
  std::string field;  // a field name, or "row 12", or "[3].occurred_at"
  std::string reason;
  int line = 0;  // for documents (policy, SLA): the 1-based line at fault; 0 if none
};

// An outcome: ok, or a code with a human message and optional field errors.
// Cheap to copy when ok.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::vector<FieldError> errors = {})
      : code_(code), message_(std::move(message)), errors_(std::move(errors)) {}

  static Status Ok() { return {}; }
  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::vector<FieldError> errors_;
};

inline Status InvalidArgument(std::string msg, std::vector<FieldError> errors = {}) {
  return {Code::kInvalidArgument, std::move(msg), std::move(errors)};
}
inline Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
inline Status Conflict(std::string msg) { return {Code::kConflict, std::move(msg)}; }
inline Status FailedPrecondition(std::string msg) {
  return {Code::kFailedPrecondition, std::move(msg)};
}
inline Status Internal(std::string msg) { return {Code::kInternal, std::move(msg)}; }

// A value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT
  // REQUIRES: !status.ok()

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }

 private:
  std::variant<T, Status> v_;
};

#define TANDEM_RETURN_IF_ERROR(expr) \
  do {                               \
    ::tandem::Status _st = (expr);   \
    if (!_st.ok()) return _st;       \
  } while (0)

}  // namespace tandem
