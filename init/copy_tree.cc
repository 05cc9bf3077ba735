#include "init/copy_tree.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fd.h"

namespace macula {

namespace {

constexpr const char* kPartialSuffix = ".maculaos-partial";

Result<void> copy_file(const std::string& from, const std::string& to, const struct stat& st) {
  UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in) return fail_errno("open " + from);
  UniqueFd out(::open(to.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, st.st_mode & 07777));
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

// Owner, mode and times of `st`, on `to`.
Result<void> copy_attributes(const std::string& to, const struct stat& st) {
  if (::lchown(to.c_str(), st.st_uid, st.st_gid) != 0) return fail_errno("chown " + to);
  if (!S_ISLNK(st.st_mode) && ::chmod(to.c_str(), st.st_mode & 07777) != 0) return fail_errno("chmod " + to);
  const timespec times[2] = {st.st_atim, st.st_mtim};
  ::utimensat(AT_FDCWD, to.c_str(), times, AT_SYMLINK_NOFOLLOW);
  return {};
}

Result<void> copy_entry(const std::string& from, const std::string& to, dev_t root_dev, CopyMode mode) {
  struct stat st {}, existing {};
  if (::lstat(from.c_str(), &st) != 0) return fail_errno("stat " + from);
  const bool exists = ::lstat(to.c_str(), &existing) == 0;
  if (exists && mode == CopyMode::fresh && !(S_ISDIR(st.st_mode) && S_ISDIR(existing.st_mode)))
    return fail(to + ": already exists");
  if (S_ISDIR(st.st_mode)) {
    if (!exists && ::mkdir(to.c_str(), st.st_mode & 07777) != 0) return fail_errno("mkdir " + to);
    if (exists && !S_ISDIR(existing.st_mode)) return {};  // kept as it is
    if (st.st_dev == root_dev) {
      DIR* dir = ::opendir(from.c_str());
      if (!dir) return fail_errno("open directory " + from);
      Result<void> r;
      while (const dirent* e = ::readdir(dir)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        if (r = copy_entry(from + "/" + name, to + "/" + name, root_dev, mode); !r) break;
      }
      ::closedir(dir);
      if (!r) return r;
    }
    return exists ? Result<void>() : copy_attributes(to, st);
  }
  if (exists) return {};  // merge: what is there stays
  // Built beside its name and renamed: a cut leaves the name absent or whole.
  const std::string partial = to + kPartialSuffix;
  ::unlink(partial.c_str());
  if (S_ISLNK(st.st_mode)) {
    std::string target(static_cast<size_t>(st.st_size) + 1, '\0');
    const ssize_t n = ::readlink(from.c_str(), target.data(), target.size());
    if (n < 0) return fail_errno("readlink " + from);
    target.resize(static_cast<size_t>(n));
    if (::symlink(target.c_str(), partial.c_str()) != 0) return fail_errno("symlink " + to);
  } else if (S_ISREG(st.st_mode)) {
    if (auto r = copy_file(from, partial, st); !r) return r;
  } else if (::mknod(partial.c_str(), st.st_mode, st.st_rdev) != 0) {
    return fail_errno("mknod " + to);
  }
  if (auto r = copy_attributes(partial, st); !r) return r;
  if (::rename(partial.c_str(), to.c_str()) != 0) return fail_errno("rename " + partial + " to " + to);
  return {};
}
}  // namespace

Result<void> copy_tree(const std::string& from, const std::string& to, CopyMode mode) {
  struct stat st {};
  if (::stat(from.c_str(), &st) != 0) return fail_errno("stat " + from);
  return copy_entry(from, to, st.st_dev, mode);
}

}  // namespace macula
