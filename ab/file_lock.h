// An exclusive advisory lock (flock) on a file, held for the life of the object. The kernel
// drops it when the holder dies, so a killed command never leaves it stuck.
#pragma once

#include <chrono>
#include <string>

#include "common/fd.h"
#include "common/result.h"

namespace macula {

class FileLock {
 public:
  // Takes the lock on `path` (created 0600 when missing), retrying for up to `wait` while
  // another holds it; then fails saying `what` is busy.
  static Result<FileLock> acquire(const std::string& path, const std::string& what,
                                  std::chrono::milliseconds wait);

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

}  // namespace macula
