// Mounting: the pseudo file systems with mount(2), everything with a device or options with
// libmount (which also sets up loop devices for squashfs images).
#pragma once

#include <string>
#include <utility>

#include "common/result.h"

namespace macula {

struct MountRequest {
  std::string source;
  std::string target;  // created if missing
  std::string fstype;
  std::string options;  // libmount syntax: "ro,loop", "lowerdir=...,upperdir=..."
};

Result<void> mount_with_libmount(const MountRequest& request);

// /proc, /sys, /dev (devtmpfs), /dev/pts, /dev/shm and /run; each skipped if already mounted
// (on a retry after the emergency shell).
Result<void> mount_pseudo_filesystems();

// True if path is the root of a mount (its device differs from its parent's).
bool is_mountpoint(const std::string& path);

// Detaches whatever is mounted at path (lazily); nothing mounted is not an error.
void detach(const std::string& path);

Result<void> make_dirs(const std::string& path);

// A mount that lasts as long as this object: unmounted on scope exit.
class ScopedMount {
 public:
  static Result<ScopedMount> mount(const MountRequest& request);
  ScopedMount(ScopedMount&& o) noexcept : dir_(std::exchange(o.dir_, "")) {}
  ScopedMount& operator=(ScopedMount&&) = delete;
  ~ScopedMount();
  const std::string& dir() const { return dir_; }

 private:
  explicit ScopedMount(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace macula
