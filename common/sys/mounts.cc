#include "common/sys/mounts.h"

#include <libmount/libmount.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <filesystem>
#include <memory>

namespace macula {

namespace {

using MntContext = std::unique_ptr<libmnt_context, decltype(&mnt_free_context)>;

Result<void> mount_pseudo(const char* source, const std::string& target, const char* fstype,
                          unsigned long flags, const char* data) {
  if (auto r = make_dirs(target); !r) return r;
  if (is_mountpoint(target)) return {};
  if (::mount(source, target.c_str(), fstype, flags, data) != 0)
    return fail_errno("mount " + std::string(fstype) + " on " + target);
  return {};
}

}  // namespace

Result<void> make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return fail("create directory " + path, ec.value());
  return {};
}

bool is_mountpoint(const std::string& path) {
  struct stat self {}, parent {};
  if (::stat(path.c_str(), &self) != 0 || ::stat((path + "/..").c_str(), &parent) != 0) return false;
  return self.st_dev != parent.st_dev || self.st_ino == parent.st_ino;  // "/" is its own parent
}

void detach(const std::string& path) { ::umount2(path.c_str(), MNT_DETACH); }

Result<void> mount_pseudo_filesystems() {
  constexpr unsigned long kNoExec = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  Result<void> r = mount_pseudo("proc", "/proc", "proc", kNoExec, nullptr);
  if (r) r = mount_pseudo("sysfs", "/sys", "sysfs", kNoExec, nullptr);
  if (r) r = mount_pseudo("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
  if (r) r = mount_pseudo("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "gid=5,mode=620,ptmxmode=000");
  if (r) r = mount_pseudo("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
  if (r) r = mount_pseudo("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755");
  return r;
}

Result<void> mount_with_libmount(const MountRequest& request) {
  if (auto r = make_dirs(request.target); !r) return r;
  MntContext cxt(mnt_new_context(), &mnt_free_context);
  if (!cxt) return fail("mount " + request.source + ": cannot create a libmount context", ENOMEM);
  // No /etc/fstab, /etc/mtab or /sbin/mount.* helpers exist in the initramfs: use none.
  mnt_context_disable_helpers(cxt.get(), 1);
  mnt_context_disable_mtab(cxt.get(), 1);
  mnt_context_set_source(cxt.get(), request.source.c_str());
  mnt_context_set_target(cxt.get(), request.target.c_str());
  mnt_context_set_fstype(cxt.get(), request.fstype.c_str());
  if (!request.options.empty()) mnt_context_set_options(cxt.get(), request.options.c_str());
  const int rc = mnt_context_mount(cxt.get());
  if (rc == 0) return {};
  char why[512] = {};
  mnt_context_get_excode(cxt.get(), rc, why, sizeof why);
  const int code = mnt_context_syscall_called(cxt.get()) ? mnt_context_get_syscall_errno(cxt.get()) : 0;
  return fail("mount " + request.fstype + " " + request.source + " on " + request.target +
                  (why[0] ? std::string(" (") + why + ")" : std::string()),
              code);
}

Result<ScopedMount> ScopedMount::mount(const MountRequest& request) {
  if (auto r = mount_with_libmount(request); !r) return fail(r.error());
  return ScopedMount(request.target);
}

ScopedMount::~ScopedMount() {
  if (!dir_.empty()) ::umount2(dir_.c_str(), 0);
}

}  // namespace macula
