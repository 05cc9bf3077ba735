#include "init/copy_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "tests/scratch_dir.h"

namespace macula {
namespace {

namespace fs = std::filesystem;

TEST_CASE("a tree is copied with its files, modes and symlinks") {
  const ScratchDir scratch("copy");
  const fs::path& base = scratch.path;
  fs::create_directories(base / "src/lib/dpkg");
  std::ofstream(base / "src/lib/dpkg/status") << "Package: openrc\n";
  ::chmod((base / "src/lib/dpkg").c_str(), 0750);
  fs::create_symlink("../run/lock", base / "src/lock");

  REQUIRE(copy_tree((base / "src").string(), (base / "dst").string()));
  std::ifstream copied(base / "dst/lib/dpkg/status");
  std::string line;
  std::getline(copied, line);
  CHECK(line == "Package: openrc");
  CHECK((fs::status(base / "dst/lib/dpkg").permissions() & fs::perms::all) ==
        (fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec));
  CHECK(fs::read_symlink(base / "dst/lock") == "../run/lock");

  // Across file systems (here to /dev/shm, a tmpfs), as init copies itself into /run.
  const fs::path shm = fs::path("/dev/shm") / ("macula-copy-" + std::to_string(::getpid()));
  REQUIRE(copy_tree((base / "src/lib/dpkg/status").string(), shm.string()));
  CHECK(fs::file_size(shm) == 16);
  fs::remove(shm);

  auto missing = copy_tree((base / "nope").string(), (base / "x").string());
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().text(), Catch::Contains("nope"));
}

TEST_CASE("a merge keeps what is there, adds what is missing, and completes a copy cut short") {
  const ScratchDir scratch("merge");
  const fs::path& base = scratch.path;
  fs::create_directories(base / "src/lib/dpkg");
  fs::create_directories(base / "src/tmp");
  ::chmod((base / "src/tmp").c_str(), 01777);
  std::ofstream(base / "src/lib/dpkg/status") << "Package: openrc\n";
  std::ofstream(base / "src/log.txt") << "image\n";
  // What the installer put there first, and what a copy cut short left behind.
  fs::create_directories(base / "dst/lib/maculaos");
  std::ofstream(base / "dst/lib/maculaos/config.yaml") << "hostname: n1\n";
  std::ofstream(base / "dst/log.txt") << "node's own\n";
  fs::create_directories(base / "dst/lib/dpkg");
  std::ofstream(base / "dst/lib/dpkg/status.maculaos-partial") << "torn";

  REQUIRE(copy_tree((base / "src").string(), (base / "dst").string(), CopyMode::merge));
  auto text = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  CHECK(text(base / "dst/lib/dpkg/status") == "Package: openrc\n");
  CHECK(text(base / "dst/lib/maculaos/config.yaml") == "hostname: n1\n");
  CHECK(text(base / "dst/log.txt") == "node's own\n");
  CHECK((fs::status(base / "dst/tmp").permissions() & fs::perms::mask) ==
        (fs::perms::all | fs::perms::sticky_bit));
  for (const auto& e : fs::recursive_directory_iterator(base / "dst"))
    CHECK_FALSE(e.path().filename().string().ends_with(".maculaos-partial"));
  CHECK_FALSE(copy_tree((base / "src").string(), (base / "dst").string()));  // fresh: refuses what exists
}

}  // namespace
}  // namespace macula
