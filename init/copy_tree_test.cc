#include "init/copy_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

namespace macula {
namespace {

namespace fs = std::filesystem;

TEST_CASE("a tree is copied with its files, modes and symlinks") {
  const fs::path base = fs::temp_directory_path() / ("macula-copy-" + std::to_string(::getpid()));
  fs::remove_all(base);
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
  fs::remove_all(base);
}

}  // namespace
}  // namespace macula
