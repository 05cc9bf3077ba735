#include "config/owned_files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "common/files.h"
#include "tests/scratch_dir.h"

namespace macula {
namespace {

namespace fs = std::filesystem;

// The user who plants links: as root, uid 1000 (root's own links are trusted); else ourselves.
const uid_t kUser = ::geteuid() == 0 ? 1000 : ::geteuid();

// A directory of the user's, as ~macula is.
fs::path users_dir(const fs::path& path) {
  fs::create_directories(path);
  if (::geteuid() == 0) REQUIRE(::chown(path.c_str(), kUser, kUser) == 0);
  return path;
}

// `ln -s target at`, by the user.
void plant_link(const fs::path& target, const fs::path& at) {
  fs::create_symlink(target, at);
  if (::geteuid() == 0) REQUIRE(::lchown(at.c_str(), kUser, kUser) == 0);
}

struct stat stat_of(const fs::path& path) {
  struct stat st{};
  REQUIRE(::lstat(path.c_str(), &st) == 0);
  return st;
}

TEST_CASE("write_owned makes the missing parents and the file, with its owner and mode") {
  const ScratchDir scratch("owned-write");
  const fs::path file = scratch.path / "a" / "b" / "file";
  REQUIRE(write_owned(file, "text\n", 0640, kUser, kUser));
  CHECK(read_file(file).value() == "text\n");
  const struct stat st = stat_of(file);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_uid == kUser);
  CHECK_FALSE(fs::exists(file.string() + ".tmp"));
  REQUIRE(write_owned(file, "again\n", 0600, kUser, kUser));  // over the one there
  CHECK(read_file(file).value() == "again\n");
  CHECK((stat_of(file).st_mode & 07777) == 0600);
}

TEST_CASE("append_owned adds to the file once: applied again, the file already ends with it") {
  const ScratchDir scratch("owned-append");
  const fs::path file = scratch.path / "etc" / "motd";
  REQUIRE(append_owned(file, "first\n", 0644, kUser, kUser));  // none yet: made
  CHECK(read_file(file).value() == "first\n");
  REQUIRE(write_file_atomic(file, "the image's\n", 0600));
  REQUIRE(append_owned(file, "added\n", 0644, kUser, kUser));
  REQUIRE(append_owned(file, "added\n", 0644, kUser, kUser));  // the boot stage again
  CHECK(read_file(file).value() == "the image's\nadded\n");
  CHECK((stat_of(file).st_mode & 07777) == 0644);
}

TEST_CASE("append_owned does not read or write through a user's link") {
  const ScratchDir scratch("owned-append-link");
  const fs::path home = users_dir(scratch.path / "home");
  const fs::path shadow = scratch.path / "shadow";
  REQUIRE(write_file_atomic(shadow, "root:secret\n", 0600));
  plant_link(shadow, home / "notes");
  auto appended = append_owned(home / "notes", "more\n", 0644, kUser, kUser);
  REQUIRE_FALSE(appended);
  CHECK(appended.error().text().ends_with("not followed"));
  CHECK(read_file(shadow).value() == "root:secret\n");
}

TEST_CASE("a user's ~/.ssh that links to another directory is refused, and that directory left alone") {
  const ScratchDir scratch("owned-ssh-link");
  const fs::path home = users_dir(scratch.path / "home");
  const fs::path etc = scratch.path / "etc";
  fs::create_directories(etc);
  ::chmod(etc.c_str(), 0755);
  plant_link(etc, home / ".ssh");
  auto owned = own_directory(home / ".ssh", 0700, kUser, kUser);
  REQUIRE_FALSE(owned);
  CHECK(owned.error().text() == (home / ".ssh").string() + ": a symbolic link (uid " + std::to_string(kUser) +
                                    "'s): not followed");
  const struct stat st = stat_of(etc);
  CHECK((st.st_mode & 07777) == 0755);
  CHECK(st.st_uid == ::geteuid());
}

TEST_CASE("a user's authorized_keys that links to another file is refused, and that file left alone") {
  const ScratchDir scratch("owned-file-link");
  const fs::path home = users_dir(scratch.path / "home");
  auto ssh = own_directory(home / ".ssh", 0700, kUser, kUser);
  REQUIRE(ssh);
  CHECK((stat_of(home / ".ssh").st_mode & 07777) == 0700);
  const fs::path shadow = scratch.path / "shadow";
  REQUIRE(write_file_atomic(shadow, "root:secret\n", 0600));
  plant_link(shadow, home / ".ssh" / "authorized_keys");
  auto written = write_owned_at(ssh->get(), home / ".ssh", "authorized_keys", "ssh-ed25519 AAAA\n", 0600, kUser, kUser);
  REQUIRE_FALSE(written);
  CHECK(written.error().text() == (home / ".ssh" / "authorized_keys").string() + ": a symbolic link (uid " +
                                      std::to_string(kUser) + "'s): not followed");
  CHECK(read_file(shadow).value() == "root:secret\n");
  CHECK(stat_of(shadow).st_uid == ::geteuid());
  CHECK(fs::is_symlink(home / ".ssh" / "authorized_keys"));
}

TEST_CASE("a user's link on the way to a file is not followed: nothing is made at its target") {
  const ScratchDir scratch("owned-parent-link");
  const fs::path home = users_dir(scratch.path / "home");
  const fs::path elsewhere = scratch.path / "elsewhere";
  fs::create_directories(elsewhere);
  plant_link(elsewhere, home / "config");
  auto written = write_owned(home / "config" / "sub" / "file", "x\n", 0644, 0, 0);
  REQUIRE_FALSE(written);
  CHECK(written.error().text() == (home / "config").string() + ": a symbolic link (uid " + std::to_string(kUser) +
                                      "'s): not followed");
  CHECK(fs::is_empty(elsewhere));
}

TEST_CASE("root's own links on the way are followed (the image's /var/run -> /run)") {
  if (::geteuid() != 0) {
    WARN("not root: every link here is the user's, so none is followed");
    return;
  }
  const ScratchDir scratch("owned-root-link");
  fs::create_directories(scratch.path / "run");
  fs::create_directory_symlink("run", scratch.path / "var-run");  // relative, as the image has it
  REQUIRE(write_owned(scratch.path / "var-run" / "sub" / "file", "x\n", 0644, 0, 0));
  CHECK(read_file(scratch.path / "run" / "sub" / "file").value() == "x\n");
  // and a root-owned file link is replaced, its target left as it was
  REQUIRE(write_file_atomic(scratch.path / "target", "old\n", 0644));
  fs::create_symlink(scratch.path / "target", scratch.path / "run" / "linked");
  REQUIRE(write_owned(scratch.path / "run" / "linked", "new\n", 0644, 0, 0));
  CHECK(read_file(scratch.path / "target").value() == "old\n");
  CHECK(read_file(scratch.path / "run" / "linked").value() == "new\n");
}

}  // namespace
}  // namespace macula
