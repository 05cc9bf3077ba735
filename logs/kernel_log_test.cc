#include "logs/kernel_log.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("a /dev/kmsg record reads as dmesg prints it") {
  CHECK(kmsg_line("6,339,5140900,-;NET: Registered protocol family 10\n") ==
        "[    5.140900] NET: Registered protocol family 10");
  // the device's KEY=VALUE lines are left out; flags may be followed by more fields
  CHECK(kmsg_line("3,1,12,c,more;sda: error\n SUBSYSTEM=block\n DEVICE=b8:0\n") == "[    0.000012] sda: error");
  CHECK_FALSE(kmsg_line("no semicolon"));
  CHECK_FALSE(kmsg_line("6,339;message"));
  CHECK_FALSE(kmsg_line("6,339,12x,-;message"));
}

}  // namespace
}  // namespace macula
