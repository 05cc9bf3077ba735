#include "common/files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>

#include "common/fd.h"

namespace macula {

Result<std::string> read_file(const std::string& path) { return read_file(path, UINT64_MAX); }

Result<std::string> read_file(const std::string& path, std::uint64_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno("open " + path);
  std::string out;
  char buf[8192];
  for (;;) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + path);
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > max_bytes)
      return fail(path + ": larger than " + std::to_string(max_bytes) + " bytes", EFBIG);
  }
}

Result<void> make_directory(const std::string& path, mode_t mode) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return fail("mkdir " + path + ": " + ec.message());
  if (::chmod(path.c_str(), mode) != 0) return fail_errno("chmod " + path);
  return {};
}

Result<void> rename_durably(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) return fail_errno("rename " + from + " to " + to);
  const std::string dir = std::filesystem::path(to).parent_path();
  UniqueFd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd || ::fsync(fd.get()) != 0) return fail_errno("sync " + dir);
  return {};
}

Result<void> replace_symlink(const std::string& target, const std::string& path) {
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0) return fail_errno("symlink " + tmp);
  return rename_durably(tmp, path);
}

Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode) {
  const std::size_t slash = path.rfind('/');
  const std::string dir_path = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  UniqueFd dir(::open(dir_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) return fail_errno("create " + path + ".tmp");
  return write_file_atomic_at(dir.get(), slash == std::string::npos ? path : path.substr(slash + 1), path, content, mode);
}

Result<void> write_file_atomic_at(int dir, const std::string& name, const std::string& path, std::string_view content,
                                  mode_t mode, std::optional<FileOwner> owner) {
  const std::string tmp = name + ".tmp", tmp_path = path + ".tmp";
  // Root writes into directories others own (~/.ssh, write_files' paths): a NAME.tmp planted
  // there as a symbolic link must not be followed (O_TRUNC would empty its target). A stale
  // NAME.tmp of a cut-short write is removed first (a link there: unlinkat takes the link
  // itself); O_EXCL then refuses one planted in between.
  if (::unlinkat(dir, tmp.c_str(), 0) != 0 && errno != ENOENT) return fail_errno("remove stale " + tmp_path);
  UniqueFd fd(::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!fd) return fail_errno("create " + tmp_path);
  Result<void> r = write_all(fd.get(), std::as_bytes(std::span(content)), tmp_path);
  if (r && owner && ::fchown(fd.get(), owner->uid, owner->gid) != 0) r = fail_errno("chown " + tmp_path);
  // after chown, which clears set-id bits; umask-proof
  if (r && ::fchmod(fd.get(), mode) != 0) r = fail_errno("chmod " + tmp_path);
  if (r && ::fsync(fd.get()) != 0) r = fail_errno("fsync " + tmp_path);
  fd.reset();
  if (r && ::renameat(dir, tmp.c_str(), dir, name.c_str()) != 0) r = fail_errno("rename " + tmp_path + " to " + path);
  if (!r) {
    ::unlinkat(dir, tmp.c_str(), 0);
    return r;
  }
  ::fsync(dir);
  return {};
}

}  // namespace macula
