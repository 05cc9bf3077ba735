#include "config/users.h"

#include "config/config_schema.h"

namespace macula {

std::vector<UserAccount> user_accounts(const ConfigNode& config) {
  std::vector<UserAccount> users;
  const ConfigNode* list = config_at(config, "users");
  if (!list || !list->is_sequence()) return users;
  for (const ConfigNode& entry : list->items) {
    UserAccount user;
    user.name = config_text(entry, "name").value_or("");
    user.groups = config_texts(entry, "groups");
    user.shell = config_text(entry, "shell");
    user.password_hash = config_text(entry, "passwd");
    user.lock_password = config_flag(entry, "lock_passwd", true);
    user.sudo = config_texts(entry, "sudo");
    if (const ConfigNode* keys = entry.find("ssh_authorized_keys"); keys && keys->is_sequence())
      user.ssh_keys = config_texts(entry, "ssh_authorized_keys");
    users.push_back(std::move(user));
  }
  return users;
}

std::string sudoers_drop_in_name(const std::string& user) { return "90-maculaos-" + user; }

std::string sudoers_drop_in(const UserAccount& user) {
  std::string text = "# Written at boot by `maculaos config apply` from users: edit the config instead.\n";
  for (const std::string& rule : user.sudo) text += user.name + " " + rule + "\n";
  return text;
}

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ",") + word;
  return out;
}

// Each failure of the user's steps, in errors, named by `name` and the step.
void apply_user(const UserAccount& user, const std::string& name, UserSystem& system, std::vector<Error>& errors) {
  auto step = [&](std::string_view what, const Result<void>& r) {
    if (!r) errors.push_back(fail(name + ": " + std::string(what), r.error()).error());
    return r.has_value();
  };
  for (const std::string& group : user.groups)
    if (!system.group_exists(group) && !step("groups", system.run({"groupadd", group}, ""))) return;
  std::vector<std::string> argv;
  const bool exists = system.user_exists(user.name);
  if (!exists) argv = {"useradd", "--create-home"};
  else if (user.shell || !user.groups.empty()) argv = {"usermod"};
  if (user.shell) argv.insert(argv.end(), {"--shell", *user.shell});
  if (!user.groups.empty()) {
    if (exists) argv.push_back("--append");
    argv.insert(argv.end(), {"--groups", joined(user.groups)});
  }
  if (!argv.empty()) {
    argv.push_back(user.name);
    if (!step(exists ? "usermod" : "useradd", system.run(argv, ""))) return;  // no user to go on with
  }
  // the hash on stdin, not in argv: nothing of it shows in ps
  if (user.password_hash) step("passwd", system.run({"chpasswd", "--encrypted"}, user.name + ":" + *user.password_hash + "\n"));
  if (user.lock_password) step("lock_passwd", system.run({"usermod", "--lock", user.name}, ""));
  if (!user.sudo.empty()) step("sudo", system.write_sudoers(sudoers_drop_in_name(user.name), sudoers_drop_in(user)));
  if (user.ssh_keys) step("ssh_authorized_keys", system.write_authorized_keys(user.name, *user.ssh_keys));
}

}  // namespace

std::vector<Error> apply_user_accounts(std::span<const UserAccount> users, UserSystem& system) {
  std::vector<Error> errors;
  for (std::size_t i = 0; i < users.size(); ++i)
    apply_user(users[i], "users[" + std::to_string(i) + "] " + users[i].name, system, errors);
  return errors;
}

}  // namespace macula
