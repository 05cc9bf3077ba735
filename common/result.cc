#include "common/result.h"

#include <cstring>

namespace macula {

// EROFS is a permission, not io: on this immutable system it means a write where none is
// allowed, and the answer is the same as for EACCES (write elsewhere, or be allowed to).
// EAGAIN is busy: the resource is held now and may not be later.
ErrorKind kind_of_errno(int code) {
  switch (code) {
    case ENOENT:
    case ENOTDIR:
    case ENODEV:
    case ENXIO: return ErrorKind::not_found;
    case EACCES:
    case EPERM:
    case EROFS: return ErrorKind::permission;
    case EBUSY:
    case EAGAIN:  // == EWOULDBLOCK on Linux
    case ETXTBSY: return ErrorKind::busy;
    case EIO:
    case ENOSPC:
    case EDQUOT: return ErrorKind::io;
    case ECONNREFUSED:
    case ECONNRESET:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ETIMEDOUT: return ErrorKind::network;
    default: return ErrorKind::failure;
  }
}

std::string Error::text() const {
  if (code == 0) return message;
  return message + ": " + std::strerror(code);
}

}  // namespace macula
