#include "ab/file_lock.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

namespace macula {
namespace {

using std::chrono::milliseconds;

TEST_CASE("a held lock refuses a second taker, saying what is busy, and is free once released") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("macula-lock-" + std::to_string(::getpid()))).string();
  {
    auto held = FileLock::acquire(path, "the boot state", milliseconds(0));
    REQUIRE(held);
    // flock locks belong to the open file description: a second open conflicts even here.
    auto refused = FileLock::acquire(path, "the boot state", milliseconds(300));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().message == "the boot state is busy: another command holds " + path +
                                         "; try again when it is done");
    CHECK(refused.error().kind == ErrorKind::busy);
  }
  CHECK(FileLock::acquire(path, "the boot state", milliseconds(0)));
  std::filesystem::remove(path);
}

TEST_CASE("a lock in a directory that does not exist is an error naming the path") {
  auto r = FileLock::acquire("/nonexistent-macula-dir/x.lock", "x", milliseconds(0));
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "lock /nonexistent-macula-dir/x.lock");
  CHECK(r.error().code == ENOENT);
  CHECK(r.error().kind == ErrorKind::not_found);
}

}  // namespace
}  // namespace macula
