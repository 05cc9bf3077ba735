// RAII for file descriptors, and the write loop every writer needs.
#pragma once

#include <span>
#include <string>
#include <utility>

#include "common/result.h"

namespace macula {

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) reset(std::exchange(other.fd_, -1));
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset(int fd = -1);

 private:
  int fd_ = -1;
};

// Writes all of `data`, retrying short writes and EINTR. `what` names the target in errors.
Result<void> write_all(int fd, std::span<const std::byte> data, const std::string& what);

}  // namespace macula
