#include "common/fd.h"

#include <unistd.h>

namespace macula {

void UniqueFd::reset(int fd) {
  // close() is not retried on EINTR: Linux has released the descriptor either way.
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

Result<void> write_all(int fd, std::span<const std::byte> data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("write " + what);
    data = data.subspan(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace macula
