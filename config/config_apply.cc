#include "config/config_apply.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/files.h"
#include "common/process.h"

namespace macula {

BootPlan boot_plan(const ConfigNode& config) {
  BootPlan plan;
  plan.hostname = config_text(config, "hostname");
  plan.password_hash = config_text(config, "maculaos.password");
  if (const ConfigNode* keys = config_at(config, "ssh_authorized_keys"); keys && keys->is_sequence()) {
    plan.ssh_keys.emplace();
    for (const ConfigNode& key : keys->items) {
      if (key.text.starts_with("github:"))
        plan.later.push_back("ssh_authorized_keys: " + key.text);
      else
        plan.ssh_keys->push_back(key.text);
    }
  }
  return plan;
}

ChosenConfig choose_config(const MergedConfig& merged, const std::optional<ConfigNode>& applied) {
  if (has_errors(merged.issues) && applied) return {*applied, true};
  return {merged.tree, false};
}

namespace {

// Makes dir (mode, owned by the user) if needed, and gives it that owner and mode either way.
Result<void> own_dir(const std::string& dir, mode_t mode, const passwd& user) {
  if (::mkdir(dir.c_str(), mode) != 0 && errno != EEXIST) return fail_errno("mkdir " + dir);
  if (::chown(dir.c_str(), user.pw_uid, user.pw_gid) != 0) return fail_errno("chown " + dir);
  if (::chmod(dir.c_str(), mode) != 0) return fail_errno("chmod " + dir);
  return {};
}

Result<void> write_authorized_keys(const std::vector<std::string>& keys) {
  errno = 0;
  const passwd* user = ::getpwnam(kNodeUser);
  if (!user) return fail_errno(std::string("user ") + kNodeUser + ": not in /etc/passwd");
  const passwd owner = *user;
  const std::string ssh = std::string(owner.pw_dir) + "/.ssh", file = ssh + "/authorized_keys";
  if (auto r = own_dir(ssh, 0700, owner); !r) return r;
  std::string text;
  for (const std::string& key : keys) text += key + "\n";
  if (auto r = write_file_atomic(file, text, 0600); !r) return r;
  if (::chown(file.c_str(), owner.pw_uid, owner.pw_gid) != 0) return fail_errno("chown " + file);
  return {};
}

}  // namespace

Result<void> apply_boot_plan(const BootPlan& plan) {
  if (plan.hostname)
    if (auto r = write_file_atomic("/etc/hostname", *plan.hostname + "\n", 0644); !r) return fail("hostname", r.error());
  if (plan.password_hash)
    // the hash on stdin, not in argv: nothing of it shows in ps
    if (auto r = run_command({"chpasswd", "--encrypted"}, std::string(kNodeUser) + ":" + *plan.password_hash + "\n"); !r)
      return fail("maculaos.password", r.error());
  if (plan.ssh_keys)
    if (auto r = write_authorized_keys(*plan.ssh_keys); !r) return fail("ssh_authorized_keys", r.error());
  return {};
}

}  // namespace macula
