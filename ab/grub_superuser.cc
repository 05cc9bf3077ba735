#include "ab/grub_superuser.h"

namespace macula {

std::string grub_superuser_cfg(std::string_view pbkdf2_hash) {
  const std::string user(kGrubSuperuser);
  return "# maculaos.boot.grub_password, written by the node config's boot stage\n"
         "insmod password_pbkdf2\n"
         "set superusers=\"" + user + "\"\n"
         "password_pbkdf2 " + user + " " + std::string(pbkdf2_hash) + "\n";
}

}  // namespace macula
