// `users` (cloud-init's, config/nocloud.h translates them): the accounts the boot stage makes
// or changes beside the node user, each with its groups, shell, password hash, lock, sudo
// rules and SSH keys. What to run is planned here and carried out through UserSystem, so the
// sequence is tested with a fake; config_apply.cc has the real one (useradd, usermod,
// chpasswd, /etc/sudoers.d).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config_tree.h"

namespace macula {

inline constexpr const char* kSudoersDropInDir = "/etc/sudoers.d";

struct UserAccount {
  std::string name;
  std::vector<std::string> groups;           // made when missing; the user is added to them
  std::optional<std::string> shell;
  std::optional<std::string> password_hash;  // by chpasswd --encrypted
  bool lock_password = true;                 // cloud-init's default: a key logs in, a password not
  std::vector<std::string> sudo;             // sudoers rules; none: no drop-in is written
  std::optional<std::vector<std::string>> ssh_keys;  // ~NAME/.ssh/authorized_keys
};

// The `users` list of the config (checked by the schema before).
std::vector<UserAccount> user_accounts(const ConfigNode& config);

// The drop-in's name under kSudoersDropInDir (sudo skips names with a dot) and its text.
std::string sudoers_drop_in_name(const std::string& user);
std::string sudoers_drop_in(const UserAccount& user);

// What making users needs of the machine.
class UserSystem {
 public:
  virtual ~UserSystem() = default;
  virtual bool user_exists(const std::string& name) = 0;
  virtual bool group_exists(const std::string& name) = 0;
  // argv run as a command (groupadd, useradd, usermod, chpasswd), input on its stdin
  virtual Result<void> run(const std::vector<std::string>& argv, const std::string& input) = 0;
  // the drop-in checked (visudo) and written 0440, root's
  virtual Result<void> write_sudoers(const std::string& file_name, const std::string& text) = 0;
  virtual Result<void> write_authorized_keys(const std::string& user, const std::vector<std::string>& keys) = 0;
};

// For each user in order: its missing groups made, the user made (useradd --create-home) or
// changed (usermod: shell, groups appended), its hash set, its password locked, its sudoers
// drop-in and its keys written. Every failure is returned, named `users[I] NAME`; a user that
// cannot be made is left there, and the next one is made.
std::vector<Error> apply_user_accounts(std::span<const UserAccount> users, UserSystem& system);

}  // namespace macula
