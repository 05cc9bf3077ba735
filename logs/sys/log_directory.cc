#include "logs/sys/log_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "common/fd.h"

namespace macula {

namespace {

// Copies what the open log holds to `to` (through to.tmp, owned and moded as the log), then
// empties it. What a writer adds while the copy runs is copied too: only what comes between
// the last read and the truncation is lost.
Result<void> copy_and_truncate(int log, const struct stat& st, const std::string& path, const std::string& to) {
  const std::string tmp = to + ".tmp";
  ::unlink(tmp.c_str());
  UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 07777));
  if (!out) return fail_errno("create " + tmp);
  if (::fchown(out.get(), st.st_uid, st.st_gid) != 0 || ::fchmod(out.get(), st.st_mode & 07777) != 0)
    return fail_errno("chown " + tmp);
  std::array<std::byte, 1 << 16> buffer;
  for (;;) {
    const ssize_t n = ::read(log, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail_errno("read " + path);
    if (n == 0) break;
    if (auto r = write_all(out.get(), std::span(buffer).first(static_cast<std::size_t>(n)), tmp); !r) return r;
  }
  if (::ftruncate(log, 0) != 0) return fail_errno("truncate " + path);
  if (::rename(tmp.c_str(), to.c_str()) != 0) return fail_errno("rename " + tmp + " to " + to);
  return {};
}

Result<void> rotate(const std::string& path, int keep) {
  for (int generation = keep; generation >= 1; --generation) {
    const std::string copy = log_copy_path(path, generation);
    const int moved = generation == keep ? ::unlink(copy.c_str())
                                         : ::rename(copy.c_str(), log_copy_path(path, generation + 1).c_str());
    if (moved != 0 && errno != ENOENT) return fail_errno("move " + copy);
  }
  UniqueFd log(::open(path.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC));
  if (!log) return fail_errno("open " + path);
  struct stat st {};
  if (::fstat(log.get(), &st) != 0) return fail_errno("stat " + path);
  if (keep == 0) {
    if (::ftruncate(log.get(), 0) != 0) return fail_errno("truncate " + path);
    return {};
  }
  return copy_and_truncate(log.get(), st, path, log_copy_path(path, 1));
}

Result<void> carry_out(const RotationAction& action, int keep) {
  switch (action.kind) {
    case RotationAction::Kind::rotate:
      return rotate(action.path, keep);
    case RotationAction::Kind::remove:
      if (::unlink(action.path.c_str()) != 0 && errno != ENOENT) return fail_errno("remove " + action.path);
      return {};
    case RotationAction::Kind::truncate: {
      UniqueFd log(::open(action.path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC));
      if (!log || ::ftruncate(log.get(), 0) != 0) return fail_errno("truncate " + action.path);
      return {};
    }
  }
  return {};
}

}  // namespace

Result<std::vector<LogFile>> scan_log_directory(const std::string& dir) {
  std::vector<LogFile> files;
  std::error_code ec;
  std::filesystem::recursive_directory_iterator it(dir, std::filesystem::directory_options::skip_permission_denied, ec);
  if (ec) return fail("read " + dir + ": " + ec.message(), ec.value());
  for (const std::filesystem::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) return fail("read " + dir + ": " + ec.message(), ec.value());
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    const auto name = log_file_name(it->path().filename().string());
    if (!name) continue;
    const std::uint64_t size = it->file_size(ec);
    if (ec) continue;  // gone since it was listed
    files.push_back({(it->path().parent_path() / name->first).string(), name->second, size});
  }
  return files;
}

Result<void> rotate_log_directory(const std::string& dir, const RotationPolicy& policy) {
  auto files = scan_log_directory(dir);
  if (!files) return fail(files.error());
  std::optional<Error> first;
  int failed = 0;
  for (const RotationAction& action : plan_rotation(*files, policy)) {
    if (auto done = carry_out(action, policy.keep); !done) {
      if (!first) first = done.error();
      ++failed;
    }
  }
  if (!first) return {};
  if (failed > 1) first->message += " (and " + std::to_string(failed - 1) + " more)";
  return fail(std::move(*first));
}

}  // namespace macula
