#include "config/config_apply.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <filesystem>

#include "ab/boot_state_store.h"
#include "ab/grub_superuser.h"
#include "common/files.h"
#include "common/process.h"
#include "config/file_content.h"
#include "config/firewall.h"
#include "config/host_name.h"
#include "config/locale.h"
#include "config/mdns.h"
#include "config/network.h"
#include "config/ntp.h"
#include "config/owned_files.h"

namespace macula {

namespace {

// The write_files entries whose `defer` is `deferred`.
std::vector<FileToWrite> files_to_write(const ConfigNode& config, bool deferred) {
  std::vector<FileToWrite> files;
  const ConfigNode* list = config_at(config, "write_files");
  if (!list || !list->is_sequence()) return files;
  for (const ConfigNode& entry : list->items) {
    if (config_flag(entry, "defer", false) != deferred) continue;
    FileToWrite file;
    file.append = config_flag(entry, "append", false);
    file.path = config_text(entry, "path").value_or("");
    file.content = config_text(entry, "content").value_or("");
    file.encoding = config_text(entry, "encoding").value_or("");
    file.owner = config_text(entry, "owner").value_or(file.owner);
    file.permissions = config_text(entry, "permissions").value_or(file.permissions);
    files.push_back(std::move(file));
  }
  return files;
}

}  // namespace

BootPlan boot_plan(const ConfigNode& config, const GithubKeys& github_keys, bool pairing_open, bool installed) {
  BootPlan plan;
  plan.files = files_to_write(config, false);
  plan.hostname = config_text(config, "hostname");
  plan.password_hash = config_text(config, "maculaos.password");
  if (auto hash = config_text(config, "maculaos.boot.grub_password")) plan.grub_superuser = grub_superuser_cfg(*hash);
  if (const ConfigNode* keys = config_at(config, "ssh_authorized_keys"); keys && keys->is_sequence()) {
    plan.ssh_keys.emplace();
    for (const ConfigNode& key : keys->items) {
      if (!key.text.starts_with("github:"))
        plan.ssh_keys->push_back(key.text);
      else if (auto fetched = github_keys.find(std::string_view(key.text).substr(7)); fetched != github_keys.end())
        plan.ssh_keys->insert(plan.ssh_keys->end(), fetched->second.begin(), fetched->second.end());
      else
        plan.not_fetched.push_back(key.text);
    }
  }
  plan.users = user_accounts(config);
  // keys that are listed count, fetched or not: a github:USER that is not fetched yet will be
  plan.image_password = image_password_step(installed, plan.password_hash.has_value(),
                                            !config_texts(config, "ssh_authorized_keys").empty());
  plan.deferred_files = files_to_write(config, true);
  plan.modules = config_texts(config, "maculaos.modules");
  if (const ConfigNode* sysctl = config_at(config, "maculaos.sysctl"); sysctl && sysctl->is_mapping())
    for (const auto& [name, value] : sysctl->pairs) plan.sysctl.emplace_back(name, value.text);
  if (const ConfigNode* env = config_at(config, "maculaos.environment"); env && env->is_mapping()) {
    plan.environment.emplace();
    for (const auto& [name, value] : env->pairs) *plan.environment += name + "=" + value.text + "\n";
  }
  plan.nameservers = nameservers(config);
  plan.network = network_plan(config);
  plan.ntp_sources = ntp_sources(config);
  plan.timezone = config_text(config, "maculaos.timezone");
  plan.keyboard = config_text(config, "maculaos.keyboard");
  plan.locale = config_text(config, "maculaos.locale");
  plan.firewall = firewall_ruleset(config, pairing_open);
  plan.mesh_env = mesh_env(config);
  plan.mesh_roles = mesh_roles(config);
  plan.k3s = k3s_config(config);
  plan.mdns_services = mdns_services(config, plan.k3s.mode, MACULAOS_VERSION);
  plan.boot_cmds = stage_commands(config, ConfigStage::boot);
  return plan;
}

const char* stage_commands_key(ConfigStage stage) {
  switch (stage) {
    case ConfigStage::init: return "init_cmd";
    case ConfigStage::boot: return "boot_cmd";
    case ConfigStage::run: return "run_cmd";
    case ConfigStage::network: break;
  }
  return "";
}

std::vector<std::string> stage_commands(const ConfigNode& config, ConfigStage stage) {
  if (stage == ConfigStage::network) return {};
  return config_texts(config, stage_commands_key(stage));
}

namespace {

Result<passwd> user_named(const std::string& name) {
  errno = 0;
  const passwd* user = ::getpwnam(name.c_str());
  if (!user) return fail_errno("user " + name + ": not in /etc/passwd");
  return *user;
}

// "USER[:GROUP]", names or numbers; the group defaults to the user's.
Result<std::pair<uid_t, gid_t>> owner_ids(const std::string& owner) {
  const std::size_t colon = owner.find(':');
  const std::string user = owner.substr(0, colon), group_name = colon == std::string::npos ? "" : owner.substr(colon + 1);
  auto number = [](const std::string& s, unsigned& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size();
  };
  unsigned uid = 0, gid = 0;
  bool have_gid = false;
  if (!number(user, uid)) {
    auto entry = user_named(user);
    if (!entry) return fail(entry.error());
    uid = entry->pw_uid, gid = entry->pw_gid, have_gid = true;
  }
  if (!group_name.empty() && !number(group_name, gid)) {
    errno = 0;
    const group* entry = ::getgrnam(group_name.c_str());
    if (!entry) return fail_errno("group " + group_name + ": not in /etc/group");
    gid = entry->gr_gid;
  } else if (group_name.empty() && !have_gid) {
    gid = uid;
  }
  return std::pair{uid_t(uid), gid_t(gid)};
}

Result<void> write_config_file(const FileToWrite& file) {
  auto content = decode_file_content(file.content, file.encoding);
  if (!content) return fail(file.path, content.error());
  auto ids = owner_ids(file.owner);
  if (!ids) return fail(file.path, ids.error());
  const mode_t mode = static_cast<mode_t>(std::stoul(file.permissions, nullptr, 8));  // the schema checked it
  if (file.append) return append_owned(file.path, *content, mode, ids->first, ids->second);
  return write_owned(file.path, *content, mode, ids->first, ids->second);
}

Result<void> authorize_keys(const std::string& user, const std::vector<std::string>& keys) {
  auto owner = user_named(user);
  if (!owner) return fail(owner.error());
  // the user's home: ~/.ssh and its file are the user's to replace, by a link too
  const std::string ssh = std::string(owner->pw_dir) + "/.ssh";
  auto dir = own_directory(ssh, 0700, owner->pw_uid, owner->pw_gid);
  if (!dir) return fail(dir.error());
  std::string text;
  for (const std::string& key : keys) text += key + "\n";
  return write_owned_at(dir->get(), ssh, "authorized_keys", text, 0600, owner->pw_uid, owner->pw_gid);
}

// On an installed disk (its ESP mounted): GRUB's superuser file written, or removed when the
// config sets none. A live boot has no GRUB config of ours to change.
Result<void> set_grub_superuser(const std::optional<std::string>& cfg) {
  const std::string dir = booted_boot_state_dir();
  if (::access(dir.c_str(), F_OK) != 0) return {};
  const std::string path = dir + "/" + std::string(kEspGrubSuperuser);
  if (cfg) return write_file_atomic(path, *cfg, 0600);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return fail_errno("remove " + path);
  return {};
}

// The node user's password expired or locked (image_password.h) while it is still the image's.
Result<void> retire_image_password(ImagePasswordStep step) {
  if (step == ImagePasswordStep::keep) return {};
  auto shadow = read_file("/etc/shadow");
  if (!shadow) return fail(shadow.error());
  const auto hash = shadow_hash(*shadow, kNodeUser);
  if (!hash || !hash_holds(*hash, kImagePassword)) return {};
  const std::vector<std::string> argv = step == ImagePasswordStep::lock
                                            ? std::vector<std::string>{"usermod", "--lock", kNodeUser}
                                            : std::vector<std::string>{"passwd", "--expire", kNodeUser};
  if (auto r = run_command(argv); !r) return fail(r.error());
  return {};
}

Result<void> set_sysctl(const std::string& name, const std::string& value) {
  std::string path = name;  // net.ipv4.ip_forward, or already net/ipv4/ip_forward
  if (path.find('/') == std::string::npos) std::ranges::replace(path, '.', '/');
  const std::string file = "/proc/sys/" + path;
  std::FILE* out = std::fopen(file.c_str(), "we");
  if (!out) return fail_errno(file);
  const bool written = std::fputs(value.c_str(), out) >= 0;
  // /proc/sys checks the value when the write reaches it: at fclose
  if (std::fclose(out) != 0 || !written) return fail_errno(file + ": " + value);
  return {};
}

Result<void> set_nameservers(const std::vector<std::string>& servers) {
  if (servers.empty()) {
    if (::unlink(kDhclientHookPath) != 0 && errno != ENOENT) return fail_errno(std::string("rm ") + kDhclientHookPath);
    return {};
  }
  std::string list, resolv = "# maculaos: the node config's dns_nameservers and static interfaces\n";
  for (const std::string& server : servers) list += (list.empty() ? "" : " ") + server, resolv += "nameserver " + server + "\n";
  const std::string hook = "# Written by `maculaos config apply` from maculaos.dns_nameservers.\n"
                           "new_domain_name_servers=\"" + list + "\"\n";
  if (auto r = write_file_atomic(kDhclientHookPath, hook, 0644); !r) return r;
  // now too, for a node whose network gets no lease
  return write_file_atomic("/etc/resolv.conf", resolv, 0644);
}

Result<void> set_timezone(const std::string& zone) {
  const std::string file = "/usr/share/zoneinfo/" + zone;
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return fail(zone + ": not a time zone of tzdata (" + file + ")");
  if (auto r = replace_symlink(file, "/etc/localtime"); !r) return r;
  return write_file_atomic("/etc/timezone", zone + "\n", 0644);
}

Result<void> set_locale(const std::string& name) {
  if (!builtin_locale(name)) {
    auto listed = run_command({"locale", "-a"});
    if (!listed) return fail(listed.error());
    if (!locale_listed(*listed, name)) {
      auto supported = read_file(kSupportedLocalesPath);
      if (!supported) return fail(supported.error());
      const auto build = locale_build_command(*supported, name);
      if (!build) return fail(name + ": not a locale glibc supports (" + kSupportedLocalesPath + ")");
      // the image's root is an overlay on a tmpfs: a locale it lacks is built again each boot
      if (auto built = run_command(*build); !built) return fail(built.error());
    }
  }
  return write_file_atomic(kLocaleDefaultsPath, "LANG=" + name + "\n", 0644);
}

Result<void> set_mesh(const std::string& env, const std::vector<MeshRole>& roles) {
  if (auto r = write_file_atomic(kMeshEnvPath, env, 0644); !r) return r;
  for (const MeshRole& role : roles) {
    // rc-update add/del: a link in /etc/runlevels/default, made or removed; add when present
    // or del when absent fails, so the link itself is checked first
    const bool enabled = std::filesystem::exists("/etc/runlevels/default/" + role.service);
    if (enabled == role.on) continue;
    if (auto r = run_command({"rc-update", role.on ? "add" : "del", role.service, "default"}); !r) return fail(role.service, r.error());
  }
  return {};
}

Result<void> write_k3s_config(const K3sConfig& k3s) {
  if (auto r = make_directory(std::filesystem::path(kK3sConfigPath).parent_path(), 0755); !r) return r;
  if (auto r = write_file_atomic(kK3sConfigPath, k3s.yaml, 0600); !r) return r;
  if (k3s.token.empty()) {
    ::unlink(kK3sTokenPath);
  } else {
    if (auto r = make_directory(std::filesystem::path(kK3sTokenPath).parent_path(), 0700); !r) return r;
    if (auto r = write_file_atomic(kK3sTokenPath, k3s.token + "\n", 0600); !r) return r;
  }
  return write_file_atomic(kK3sEnvPath, "K3S_MODE=" + k3s.mode + "\n", 0644);
}

// users.h's effects on this machine.
class SystemUsers final : public UserSystem {
 public:
  bool user_exists(const std::string& name) override { return ::getpwnam(name.c_str()) != nullptr; }
  bool group_exists(const std::string& name) override { return ::getgrnam(name.c_str()) != nullptr; }
  Result<void> run(const std::vector<std::string>& argv, const std::string& input) override {
    auto r = run_command(argv, input);
    if (!r) return fail(r.error());
    return {};
  }
  Result<void> write_sudoers(const std::string& file_name, const std::string& text) override {
    // a drop-in sudo cannot read stops sudo for everyone: checked before it is in place
    if (auto r = run_command({"visudo", "--check", "--quiet", "--file", "-"}, text); !r) return fail("visudo", r.error());
    return write_owned(std::string(kSudoersDropInDir) + "/" + file_name, text, 0440, 0, 0);
  }
  Result<void> write_authorized_keys(const std::string& user, const std::vector<std::string>& keys) override {
    return authorize_keys(user, keys);
  }
};

// Keeps a step's error, with its key in front; the next step runs either way.
template <class T>
void collect(std::vector<Error>& errors, std::string_view key, const Result<T>& result) {
  if (!result) errors.push_back(fail(key, result.error()).error());
}

}  // namespace

std::vector<Error> apply_boot_plan(const BootPlan& plan) {
  std::vector<Error> errors;
  for (const FileToWrite& file : plan.files) collect(errors, "write_files", write_config_file(file));
  if (plan.hostname) collect(errors, "hostname", write_file_atomic(kHostnamePath, *plan.hostname + "\n", 0644));
  // the running name follows /etc/hostname (or the MAC when it names none) at every boot
  collect(errors, "hostname", set_node_host_name());
  if (plan.password_hash)
    // the hash on stdin, not in argv: nothing of it shows in ps
    collect(errors, "maculaos.password",
            run_command({"chpasswd", "--encrypted"}, std::string(kNodeUser) + ":" + *plan.password_hash + "\n"));
  if (plan.ssh_keys) collect(errors, "ssh_authorized_keys", authorize_keys(kNodeUser, *plan.ssh_keys));
  SystemUsers users;
  for (Error& error : apply_user_accounts(plan.users, users)) errors.push_back(std::move(error));
  collect(errors, "maculaos.password", retire_image_password(plan.image_password));
  collect(errors, "maculaos.boot.grub_password", set_grub_superuser(plan.grub_superuser));
  for (const FileToWrite& file : plan.deferred_files) collect(errors, "write_files", write_config_file(file));
  for (const std::string& line : plan.modules) {
    std::vector<std::string> argv = {"modprobe"};
    for (std::size_t at = 0; at < line.size();) {  // NAME PARAM=VALUE ... (one space each: the schema)
      const std::size_t space = std::min(line.find(' ', at), line.size());
      if (space > at) argv.push_back(line.substr(at, space - at));
      at = space + 1;
    }
    collect(errors, "maculaos.modules", run_command(argv));
  }
  for (const auto& [name, value] : plan.sysctl) collect(errors, "maculaos.sysctl", set_sysctl(name, value));
  if (plan.environment) collect(errors, "maculaos.environment", write_file_atomic("/etc/environment", *plan.environment, 0644));
  collect(errors, "maculaos.dns_nameservers", set_nameservers(plan.nameservers));
  collect(errors, "maculaos.ntp_servers", write_file_atomic(kNtpSourcesPath, plan.ntp_sources, 0644));
  if (plan.timezone) collect(errors, "maculaos.timezone", set_timezone(*plan.timezone));
  if (plan.keyboard) collect(errors, "maculaos.keyboard", run_command({"loadkeys", "--quiet", *plan.keyboard}));
  if (plan.locale) collect(errors, "maculaos.locale", set_locale(*plan.locale));
  collect(errors, "maculaos.network", write_file_atomic(kNetworkPlanPath, plan.network, 0644));
  collect(errors, "maculaos.firewall", run_command({"nft", "-f", "-"}, plan.firewall));
  collect(errors, "maculaos.mesh", set_mesh(plan.mesh_env, plan.mesh_roles));
  collect(errors, "k3s", write_k3s_config(plan.k3s));
  collect(errors, "mdns", write_file_atomic(kMdnsServicesPath, plan.mdns_services, 0644));
  for (Error& error : run_stage_commands(plan.boot_cmds, stage_commands_key(ConfigStage::boot))) errors.push_back(std::move(error));
  return errors;
}

std::vector<Error> run_stage_commands(std::span<const std::string> commands, std::string_view key) {
  std::vector<Error> errors;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    // By its place, never its text: a command may hold a secret, and what fails goes to the
    // status the motd shows (kConfigStatusPath, 0644).
    const std::string name = std::string(key) + "[" + std::to_string(i) + "]";
    std::printf("config: running %s\n", name.c_str());
    std::fflush(stdout);
    RunOptions options;
    options.timeout = kCommandTimeout;
    options.leave_running = true;  // a daemon the command starts in the background runs on
    auto run = run_process({"sh", "-c", commands[i]}, options);
    if (!run) {
      errors.push_back(fail(name, run.error()).error());
      continue;
    }
    std::fputs(run->out.c_str(), stdout);
    std::fflush(stdout);
    std::fputs(run->err.c_str(), stderr);
    if (run->timed_out)
      errors.push_back(fail(name + " did not finish within " + std::to_string(kCommandTimeout.count()) +
                            " min: killed, with its process group").error());
    else if (run->signal != 0)
      errors.push_back(fail(name + " failed: killed by signal " + std::to_string(run->signal)).error());
    else if (run->exit_code != 0)
      errors.push_back(fail(name + " failed: exit " + std::to_string(run->exit_code)).error());
  }
  return errors;
}

}  // namespace macula
