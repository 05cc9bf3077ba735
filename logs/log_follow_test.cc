#include "logs/log_follow.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("following a log: growth, an emptying rotation, another file under the name") {
  const FollowedFile open{1, 42, 100};
  CHECK(next_follow_read(open, 100, {1, 42, 180}).from == 100);
  CHECK_FALSE(next_follow_read(open, 100, {1, 42, 180}).reopen);
  // copy and truncate: smaller than what was read, and the new lines are at its start
  CHECK(next_follow_read(open, 100, {1, 42, 30}).from == 0);
  CHECK(next_follow_read(open, 100, {1, 43, 500}).reopen);
  CHECK(next_follow_read(open, 100, {2, 42, 500}).reopen);
}

}  // namespace
}  // namespace macula
