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

Result<void> write_file_atomic(const std::string& path, std::string_view content, mode_t mode) {
  const std::string tmp = path + ".tmp";
  // Root writes into directories others own (~/.ssh, write_files' paths): a PATH.tmp planted
  // there as a symbolic link must not be followed (O_TRUNC would empty its target). A stale
  // PATH.tmp of a cut-short write is removed first; O_EXCL then refuses one planted in between.
  if (::unlink(tmp.c_str()) != 0 && errno != ENOENT) return fail_errno("remove stale " + tmp);
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!fd) return fail_errno("create " + tmp);
  Result<void> r = write_all(fd.get(), std::as_bytes(std::span(content)), tmp);
  if (r && ::fchmod(fd.get(), mode) != 0) r = fail_errno("chmod " + tmp);  // umask-proof
  if (r && ::fsync(fd.get()) != 0) r = fail_errno("fsync " + tmp);
  fd.reset();
  if (r && ::rename(tmp.c_str(), path.c_str()) != 0) r = fail_errno("rename " + tmp + " to " + path);
  if (!r) {
    ::unlink(tmp.c_str());
    return r;
  }
  const std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
  UniqueFd dfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd) ::fsync(dfd.get());
  return {};
}

}  // namespace macula
