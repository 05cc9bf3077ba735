#include "init/copy_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fd.h"

namespace macula {

namespace {

Result<void> copy_file(const std::string& from, const std::string& to, const struct stat& st) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return fail_errno("open " + from);
  UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, st.st_mode & 07777));
  if (!out) return fail_errno("create " + to);
  // sendfile, not copy_file_range: Linux 5.19+ refuses the latter across file systems
  // (EXDEV), and the initramfs, tmpfs and the state partition are all different ones.
  for (off_t left = st.st_size; left > 0;) {
    const ssize_t n = ::sendfile(out.get(), in.get(), nullptr, static_cast<size_t>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("copy " + from + " to " + to);
    if (n == 0) break;
    left -= n;
  }
  return {};
}

Result<void> copy_entry(const std::string& from, const std::string& to, dev_t root_dev) {
  struct stat st {};
  if (::lstat(from.c_str(), &st) != 0) return fail_errno("stat " + from);
  Result<void> r;
  if (S_ISDIR(st.st_mode)) {
    if (::mkdir(to.c_str(), st.st_mode & 07777) != 0 && errno != EEXIST) return fail_errno("mkdir " + to);
    if (st.st_dev == root_dev) {
      DIR* dir = ::opendir(from.c_str());
      if (!dir) return fail_errno("open directory " + from);
      while (const dirent* e = ::readdir(dir)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (r = copy_entry(from + "/" + name, to + "/" + name, root_dev); !r) break;
      }
      ::closedir(dir);
    }
  } else if (S_ISLNK(st.st_mode)) {
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    const ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
    if (n < 0) return fail_errno("readlink " + from);
    target.resize(static_cast<size_t>(n));
    if (::symlink(target.c_str(), to.c_str()) != 0) return fail_errno("symlink " + to);
  } else if (S_ISREG(st.st_mode)) {
    r = copy_file(from, to, st);
  } else if (::mknod(to.c_str(), st.st_mode, st.st_rdev) != 0) {
    return fail_errno("mknod " + to);
  }
  if (!r) return r;
  if (::lchown(to.c_str(), st.st_uid, st.st_gid) != 0) return fail_errno("chown " + to);
  if (!S_ISLNK(st.st_mode) && ::chmod(to.c_str(), st.st_mode & 07777) != 0) return fail_errno("chmod " + to);
  const timespec times[2] = {st.st_atim, st.st_mtim};
  ::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
  return {};
}

}  // namespace

Result<void> copy_tree(const std::string& from, const std::string& to) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0) return fail_errno("stat " + from);
  return copy_entry(from, to, st.st_dev);
}

}  // namespace macula
