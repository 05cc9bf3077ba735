#include "common/files.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "tests/scratch_dir.h"

namespace macula {
namespace {

namespace fs = std::filesystem;

TEST_CASE("an atomic write replaces the file whole, with the mode asked for") {
  const ScratchDir dir("files");
  const std::string file = (dir.path / "config").string();
  REQUIRE(write_file_atomic(file, "old\n", 0644));
  REQUIRE(write_file_atomic(file, "new\n", 0600));
  CHECK(read_file(file).value() == "new\n");
  struct stat st{};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK_FALSE(fs::exists(file + ".tmp"));
}

TEST_CASE("an atomic write never follows a planted PATH.tmp link, and replaces a stale PATH.tmp") {
  const ScratchDir dir("files");
  const std::string victim = (dir.path / "victim").string();
  const std::string file = (dir.path / "authorized_keys").string();
  REQUIRE(write_file_atomic(victim, "precious\n", 0600));
  fs::create_symlink(victim, file + ".tmp");
  REQUIRE(write_file_atomic(file, "ssh-ed25519 AAAA fixture\n", 0600));
  CHECK(read_file(victim).value() == "precious\n");
  CHECK(read_file(file).value() == "ssh-ed25519 AAAA fixture\n");
  CHECK_FALSE(fs::is_symlink(file));

  REQUIRE(write_file_atomic(file + ".tmp", "half a write", 0600));  // a cut-short write's leftover
  REQUIRE(write_file_atomic(file, "second\n", 0600));
  CHECK(read_file(file).value() == "second\n");
}

TEST_CASE("make_directory makes the missing parents and sets the mode, also of one that existed") {
  const ScratchDir dir("files");
  const std::string secrets = (dir.path / "var/lib/secrets").string();
  REQUIRE(make_directory(secrets, 0700));
  struct stat st{};
  REQUIRE(::stat(secrets.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0700);
  REQUIRE(make_directory(secrets, 0755));
  REQUIRE(::stat(secrets.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0755);
  REQUIRE(write_file_atomic(secrets + "/file", "x", 0600));
  auto not_a_directory = make_directory(secrets + "/file/below", 0700);
  REQUIRE_FALSE(not_a_directory);
  CHECK(not_a_directory.error().message.starts_with("mkdir " + secrets + "/file/below: "));
}

}  // namespace
}  // namespace macula
