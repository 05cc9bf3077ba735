#include "ab/file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <thread>

namespace macula {

constexpr std::chrono::milliseconds kRetryEvery{100};

Result<FileLock> FileLock::acquire(const std::string& path, const std::string& what,
                                   std::chrono::milliseconds wait) {
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!fd) return fail_errno("lock " + path);
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) return fail_errno("lock " + path);
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(ErrorKind::busy, what + " is busy: another command holds " + path + "; try again when it is done");
    std::this_thread::sleep_for(kRetryEvery);
  }
  return FileLock(std::move(fd));
}

}  // namespace macula
