// Errors as values. Nothing in MaculaOS throws through PID 1: a fallible call returns
// Result<T>, whose error carries the errno (0 when none applies) and a one-line message
// that names the input and what was expected. As an error travels up, each caller that knows
// more puts its context in front ("slot b: mount /dev/vda4: ..."), and the errno stays.
#pragma once

#include <cerrno>
#include <expected>
#include <string>
#include <string_view>

namespace macula {

struct Error {
  int code = 0;         // errno, or 0
  std::string message;  // "what failed, on which input"
  bool usage = false;   // the command line was wrong: the applet exits 2, not 1

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

// A bad command line: `NAME --help` tells the right one.
inline std::unexpected<Error> usage_error(std::string message) {
  return std::unexpected(Error{0, std::move(message), true});
}

// Passes an error up unchanged (into a Result of another type).
inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

// Passes an error up with "context: " in front of its message; errno and kind are kept.
inline std::unexpected<Error> fail(std::string_view context, Error error) {
  error.message = std::string(context) + ": " + error.message;
  return std::unexpected(std::move(error));
}

}  // namespace macula
