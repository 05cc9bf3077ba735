// Errors as values. Nothing in MaculaOS throws through PID 1: a fallible call returns
// Result<T>, whose error carries the errno (0 when none applies), a one-line message that names
// the input and what was expected, and a kind. As an error travels up, each caller that knows
// more puts its context in front ("slot b: mount /dev/vda4: ..."); errno and kind stay.
#pragma once

#include <cerrno>
#include <expected>
#include <string>
#include <string_view>

namespace macula {

// What a script or a fleet tool does about an error, not where it happened: each kind is an
// exit status of its own (common/applet.h, docs/exit-codes.md). Few on purpose: a kind earns
// its place only when the answer to it differs (fix the command, fix the source, run as root,
// distrust the release, retry later, check the disk, change the request). A new kind goes
// before refused, which stays last, with its row in kErrorExits.
enum class ErrorKind {
  failure,       // anything the kinds below do not name
  usage,         // the command line was wrong: `NAME --help` tells the right one
  not_found,     // a file, device, key or URL (HTTP 404) that is not there
  permission,    // not allowed: not root, EACCES/EPERM, a read-only file system or disk
  verification,  // a signature, SHA-256 or size that does not match: the bytes are not to be trusted
  network,       // DNS, connect, TLS, a cut or stalled transfer, an HTTP error other than 404,
                 // a server that changed the file mid-download or answered a resume wrongly
  busy,          // held by another: a lock, a disk in use, a port taken, a slot still on trial
  io,            // the storage failed or is full (EIO, ENOSPC)
  refused,       // a valid request this node declines: not newer, another channel or architecture
};

// The kind an errno means, for an error made from one without a kind of its own.
ErrorKind kind_of_errno(int code);

struct Error {
  int code = 0;         // errno, or 0
  std::string message;  // "what failed, on which input"
  ErrorKind kind = ErrorKind::failure;

  // The message, followed by the errno text when there is one.
  std::string text() const;
};

template <class T = void>
using Result = std::expected<T, Error>;

// An error of the kind its errno means (failure when there is none).
inline std::unexpected<Error> fail(std::string message, int code = 0) {
  return std::unexpected(Error{code, std::move(message), kind_of_errno(code)});
}

// An error whose kind the caller knows ("the signature matches none of the keys").
inline std::unexpected<Error> fail(ErrorKind kind, std::string message, int code = 0) {
  return std::unexpected(Error{code, std::move(message), kind});
}

// For a failed syscall: captures errno before anything else can change it.
inline std::unexpected<Error> fail_errno(std::string message) {
  const int code = errno;
  return fail(std::move(message), code);
}

// A bad command line: `NAME --help` tells the right one.
inline std::unexpected<Error> usage_error(std::string message) {
  return fail(ErrorKind::usage, std::move(message));
}

// Passes an error up unchanged (into a Result of another type).
inline std::unexpected<Error> fail(Error error) { return std::unexpected(std::move(error)); }

// Passes an error up with "context: " in front of its message; errno and kind are kept.
inline std::unexpected<Error> fail(std::string_view context, Error error) {
  error.message = std::string(context) + ": " + error.message;
  return std::unexpected(std::move(error));
}

}  // namespace macula
