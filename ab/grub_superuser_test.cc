#include "ab/grub_superuser.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("GRUB's superuser file: the module, the superuser and its PBKDF2 hash") {
  const std::string hash = "grub.pbkdf2.sha512.1000.A55F07DF938982134EE9E1224EC39350.E30FEC9BD0656252A894CE1991E186A6";
  CHECK(grub_superuser_cfg(hash) ==
        "# maculaos.boot.grub_password, written by the node config's boot stage\n"
        "insmod password_pbkdf2\n"
        "set superusers=\"root\"\n"
        "password_pbkdf2 root " + hash + "\n");
}

}  // namespace
}  // namespace macula
