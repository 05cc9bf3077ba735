// Errors as values. Nothing in MaculaOS throws through PID 1: a fallible call returns
// Result<T>, whose error carries the errno (0 when none applies) and a one-line message
// that names the input and what was expected.
#pragma once

#include <cerrno>
#include <expected>
#include <string>

namespace macula {

struct Error {
  int code = 0;         // errno, or 0
  std::string message;  // "what failed, on which input"

  // The message, followed by the errno text when there is one.
  std::string text() const;
};

template <class T = void>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(std::string message, int code = 0) {
  return std::unexpected(Error{code, std::move(message)});
}

// For a failed syscall: captures errno before anything else can change it.
inline std::unexpected<Error> fail_errno(std::string message) {
  const int code = errno;
  return fail(std::move(message), code);
}

}  // namespace macula
