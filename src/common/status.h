#pragma once
// Errors on the request path travel as values. `errc` names what went wrong in AWS's
// vocabulary; protocol/aws_error.cc maps each to its wire `__type` and HTTP status, once.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace kinesis_emulator {

enum class errc {
  validation,                       // ValidationException, 400
  serialization,                    // SerializationException, 400
  unknown_operation,                // UnknownOperationException, 400
  missing_authentication_token,     // MissingAuthenticationTokenException, 400
  incomplete_signature,             // IncompleteSignatureException, 400
  invalid_signature,                // InvalidSignatureException, 400
  resource_not_found,               // ResourceNotFoundException, 400
  resource_in_use,                  // ResourceInUseException, 400
  invalid_argument,                 // InvalidArgumentException, 400
  expired_iterator,                 // ExpiredIteratorException, 400
  expired_next_token,               // ExpiredNextTokenException, 400
  limit_exceeded,                   // LimitExceededException, 400
  provisioned_throughput_exceeded,  // ProvisionedThroughputExceededException, 400
  access_denied,                    // AccessDeniedException, 400
  dry_run,                          // DryRunOperationException, 400: it would have succeeded
  request_entity_too_large,         // 413
  internal_failure,                 // InternalFailure, 500
  service_unavailable,              // ServiceUnavailable, 503
};

struct Error {
  errc code;
  std::string message;
};

inline Error make_error(errc code, std::string message) {
  return Error{code, std::move(message)};
}

// Result<T>: a T or an Error. Deliberately tiny; C++20 has no std::expected.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// Status: success or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error)
      : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)
  static Status ok_status() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_{errc::internal_failure, {}};
  bool ok_ = true;
};

}  // namespace kinesis_emulator
