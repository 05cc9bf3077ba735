#include "init/sys/switch_root.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>

#include "common/fd.h"

namespace macula {

namespace {

// Deletes everything under dir_fd that lives on root_dev. Symlinks are removed, never followed;
// directories on another device are mount points and are left alone.
void remove_tree(int dir_fd, dev_t root_dev) {
  DIR* dir = ::fdopendir(::dup(dir_fd));
  if (!dir) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      if (st.st_dev != root_dev) continue;
      UniqueFd sub(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (sub) remove_tree(sub.get(), root_dev);
      ::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR);
    } else {
      ::unlinkat(dir_fd, name.c_str(), 0);
    }
  }
  ::closedir(dir);
}

bool is_ram_backed(int fd) {
  struct statfs sfs {};
  if (::fstatfs(fd, &sfs) != 0) return false;
  return static_cast<unsigned long>(sfs.f_type) == RAMFS_MAGIC ||
         static_cast<unsigned long>(sfs.f_type) == TMPFS_MAGIC;
}

}  // namespace

Result<void> check_init_in(const std::string& new_root, const std::string& init) {
  UniqueFd root(::open(new_root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return fail_errno("open new root " + new_root);
  // RESOLVE_IN_ROOT: absolute symlinks such as /sbin/init -> /usr/sbin/openrc-init resolve
  // inside the new root, as they will after the switch. glibc 2.36 has no openat2 wrapper.
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT;
  UniqueFd file(static_cast<int>(::syscall(SYS_openat2, root.get(), init.c_str(), &how, sizeof how)));
  if (!file) return fail_errno("init " + init + " in " + new_root);
  struct stat st {};
  if (::fstat(file.get(), &st) != 0) return fail_errno("stat " + init + " in " + new_root);
  if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
    return fail("init " + init + " in " + new_root + ": not an executable file", EACCES);
  return {};
}

Result<void> switch_root(const std::string& new_root) {
  UniqueFd old_root(::open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!old_root) return fail_errno("open the initramfs root");
  struct stat old_st {};
  if (::fstat(old_root.get(), &old_st) != 0) return fail_errno("stat the initramfs root");

  // MS_MOVE fails for mounts under a shared parent: make the whole tree private first.
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
    return fail_errno("make / private");

  // The new root still needs these; a bind + unmount is no substitute here since the
  // overlay's lower and upper live under /run and must keep their identity.
  for (const char* dir : {"/dev", "/proc", "/sys", "/run"}) {
    const std::string target = new_root + dir;
    ::mkdir(target.c_str(), 0755);
    if (::mount(dir, target.c_str(), nullptr, MS_MOVE, nullptr) != 0)
      return fail_errno(std::string("move ") + dir + " to " + target);
  }

  // pivot_root(2) refuses the initramfs (rootfs cannot be unmounted): move the new root
  // over / instead and chroot into it.
  if (::chdir(new_root.c_str()) != 0) return fail_errno("chdir " + new_root);
  if (::mount(new_root.c_str(), "/", nullptr, MS_MOVE, nullptr) != 0)
    return fail_errno("move " + new_root + " to /");
  if (::chroot(".") != 0) return fail_errno("chroot into " + new_root + " (after moving it to /)");
  if (::chdir("/") != 0) return fail_errno("chdir / in the new root");

  // Free the initramfs's memory. Only ever on ramfs/tmpfs: deleting a real disk by mistake
  // (an init started from a disk root) is not a mistake to risk.
  if (is_ram_backed(old_root.get())) remove_tree(old_root.get(), old_st.st_dev);
  old_root.reset();

  // Our stdio still points at the old /dev/console inode; OpenRC's scripts test whether
  // stdin is a terminal (Debian's udev script waits 60 s when it thinks it is interactive).
  UniqueFd console(::open("/dev/console", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!console) return fail_errno("open /dev/console in the new root");
  for (int fd = 0; fd < 3; ++fd)
    if (::dup2(console.get(), fd) < 0) return fail_errno("dup2 /dev/console");
  return {};
}

}  // namespace macula
