#include "config/owned_files.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <deque>

#include "common/files.h"

namespace macula {

namespace {

constexpr int kDirectoryFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
constexpr int kMaxLinks = 40;  // the kernel's own limit (ELOOP)

std::deque<std::string> components(std::string_view path) {
  std::deque<std::string> out;
  for (std::size_t at = 0; at <= path.size();) {
    const std::size_t slash = std::min(path.find('/', at), path.size());
    if (slash > at && path.substr(at, slash - at) != ".") out.emplace_back(path.substr(at, slash - at));
    at = slash + 1;
  }
  return out;
}

std::string joined(const std::string& dir, const std::string& name) { return (dir == "/" ? "" : dir) + "/" + name; }

std::unexpected<Error> not_followed(const std::string& path, uid_t owner) {
  return fail(ErrorKind::refused, path + ": a symbolic link (uid " + std::to_string(owner) + "'s): not followed");
}

// The directory name in dir; a link there (put there since it was looked at) is refused.
Result<UniqueFd> open_child_directory(int dir, const std::string& name, const std::string& path) {
  UniqueFd child(::openat(dir, name.c_str(), kDirectoryFlags));
  if (child) return child;
  const int code = errno;
  struct stat st{};
  if ((code == ELOOP || code == ENOTDIR) && ::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISLNK(st.st_mode))
    return not_followed(path, st.st_uid);
  return fail(path, code);
}

// Whether the link `link` (lstat) in the directory `dir` is the image's or root's own.
Result<bool> trusted_link(int dir, const struct stat& link) {
  struct stat holder{};
  if (::fstat(dir, &holder) != 0) return fail_errno("stat");
  return link.st_uid == 0 && holder.st_uid == 0;
}

}  // namespace

Result<UniqueFd> open_directory_nofollow(const std::string& path, bool create) {
  if (!path.starts_with('/')) return fail(path + ": expected an absolute path");
  UniqueFd dir(::open("/", kDirectoryFlags));
  if (!dir) return fail_errno("open /");
  std::string walked = "/";
  std::deque<std::string> left = components(path);
  for (int links = 0; !left.empty();) {
    const std::string name = std::move(left.front());
    left.pop_front();
    const std::string here = joined(walked, name);
    struct stat st{};
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT || !create) return fail_errno(here);
      if (::mkdirat(dir.get(), name.c_str(), 0755) != 0 && errno != EEXIST) return fail_errno("mkdir " + here);
    } else if (S_ISLNK(st.st_mode)) {
      auto trusted = trusted_link(dir.get(), st);
      if (!trusted) return fail(here, trusted.error());
      if (!*trusted) return not_followed(here, st.st_uid);
      if (++links > kMaxLinks) return fail(here, ELOOP);
      std::string target(PATH_MAX, '\0');
      const ssize_t n = ::readlinkat(dir.get(), name.c_str(), target.data(), target.size());
      if (n < 0) return fail_errno("readlink " + here);
      target.resize(static_cast<std::size_t>(n));
      std::deque<std::string> spliced = components(target);
      spliced.insert(spliced.end(), left.begin(), left.end());
      left = std::move(spliced);
      if (target.starts_with('/')) {
        dir = UniqueFd(::open("/", kDirectoryFlags));
        if (!dir) return fail_errno("open /");
        walked = "/";
      }
      continue;
    }
    auto next = open_child_directory(dir.get(), name, here);
    if (!next) return fail(next.error());
    dir = std::move(*next);
    walked = name == ".." ? walked.substr(0, std::max<std::size_t>(walked.rfind('/'), 1)) : here;
  }
  return dir;
}

Result<UniqueFd> own_directory(const std::string& path, mode_t mode, uid_t uid, gid_t gid) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash + 1 == path.size()) return fail(path + ": expected an absolute path to a directory");
  const std::string parent_path = slash == 0 ? "/" : path.substr(0, slash), name = path.substr(slash + 1);
  auto parent = open_directory_nofollow(parent_path, false);
  if (!parent) return fail(parent.error());
  if (::mkdirat(parent->get(), name.c_str(), mode) != 0 && errno != EEXIST) return fail_errno("mkdir " + path);
  auto dir = open_child_directory(parent->get(), name, path);
  if (!dir) return fail(dir.error());
  if (::fchown(dir->get(), uid, gid) != 0) return fail_errno("chown " + path);
  if (::fchmod(dir->get(), mode) != 0) return fail_errno("chmod " + path);
  return dir;
}

Result<void> write_owned_at(int dir, const std::string& dir_path, const std::string& name, std::string_view content,
                            mode_t mode, uid_t uid, gid_t gid) {
  const std::string path = joined(dir_path, name);
  struct stat st{};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
    auto trusted = trusted_link(dir, st);
    if (!trusted) return fail(path, trusted.error());
    if (!*trusted) return not_followed(path, st.st_uid);
  }
  return write_file_atomic_at(dir, name, path, content, mode, FileOwner{uid, gid});
}

namespace {

// The directory of an absolute file path, opened as open_directory_nofollow does (missing
// parents made), and the file's name in it.
Result<std::pair<UniqueFd, std::string>> parent_directory(const std::string& path, std::string& dir_path) {
  const std::size_t slash = path.rfind('/');
  if (!path.starts_with('/') || slash + 1 == path.size()) return fail(path + ": expected an absolute path to a file");
  dir_path = slash == 0 ? "/" : path.substr(0, slash);
  auto dir = open_directory_nofollow(dir_path, true);
  if (!dir) return fail(dir.error());
  return std::pair{std::move(*dir), path.substr(slash + 1)};
}

}  // namespace

Result<void> write_owned(const std::string& path, std::string_view content, mode_t mode, uid_t uid, gid_t gid) {
  std::string dir_path;
  auto parent = parent_directory(path, dir_path);
  if (!parent) return fail(parent.error());
  return write_owned_at(parent->first.get(), dir_path, parent->second, content, mode, uid, gid);
}

Result<void> append_owned(const std::string& path, std::string_view content, mode_t mode, uid_t uid, gid_t gid) {
  std::string dir_path;
  auto parent = parent_directory(path, dir_path);
  if (!parent) return fail(parent.error());
  const auto& [dir, name] = *parent;
  std::string text;
  // a link is not read through: write_owned_at says whether it may be replaced
  if (UniqueFd file(::openat(dir.get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)); file) {
    char buf[65536];
    for (ssize_t n; (n = ::read(file.get(), buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fail_errno("read " + path);
      text.append(buf, static_cast<std::size_t>(n));
    }
  } else if (errno != ENOENT && errno != ELOOP) {
    return fail_errno(path);
  }
  if (!text.ends_with(content)) text += content;
  return write_owned_at(dir.get(), dir_path, name, text, mode, uid, gid);
}

}  // namespace macula
