// The stages of a node's config (docs/configuration.md): `maculaos config apply
// --stage init|boot|network|run` (network: config/remote_config.h). What the boot stage
// changes is planned from the merged config by a pure function; the effects are file writes,
// chpasswd, modprobe, /proc/sys, nft and rc-update.
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "config/config_sources.h"
#include "config/image_password.h"
#include "config/k3s_config.h"
#include "config/mesh.h"
#include "config/remote_config.h"
#include "config/users.h"
#include "names/names.h"

namespace macula {

// dhclient-script sources this before it writes resolv.conf: it puts maculaos.dns_nameservers
// in place of the servers the DHCP server offers.
inline constexpr const char* kDhclientHookPath = "/etc/dhcp/dhclient-enter-hooks.d/maculaos-dns";

struct FileToWrite {  // a write_files entry, as the config gives it (checked by the schema)
  std::string path, content, encoding;
  std::string owner = "root";
  std::string permissions = "0644";
  bool append = false;  // after what the file holds (once: owned_files.h's append_owned)
};

struct BootPlan {
  std::vector<FileToWrite> files;            // first: later steps may use them
  std::optional<std::string> hostname;       // to /etc/hostname (host_name.h sets it)
  std::optional<std::string> password_hash;  // the node user's, by chpasswd -e
  // An installed disk's GRUB superuser file (ab/grub_superuser.h); none: removed, no superuser
  std::optional<std::string> grub_superuser;
  // ~macula/.ssh/authorized_keys, when ssh_authorized_keys is set: the literal keys, and those
  // of each github:USER fetched before (an empty list empties the file)
  std::optional<std::vector<std::string>> ssh_keys;
  std::vector<std::string> not_fetched;  // github:USER entries without fetched keys yet
  std::vector<UserAccount> users;        // users.h: made or changed after the node user
  // image_password.h: what an installed node does with the image's password, once the users
  // are made (a users entry may have replaced it): nothing when it is no longer the image's
  ImagePasswordStep image_password = ImagePasswordStep::keep;
  // write_files with `defer: true`: cloud-init writes them once users exist; the boot stage has
  // no later step that writes files, so they are written in it, right after the users
  std::vector<FileToWrite> deferred_files;
  std::vector<std::string> modules;                         // modprobe NAME PARAMS...
  std::vector<std::pair<std::string, std::string>> sysctl;  // /proc/sys/PATH, value
  std::optional<std::string> environment;                   // /etc/environment's text
  std::vector<std::string> nameservers;  // resolv.conf and the dhclient hook (none: hook removed)
  std::string network;                   // network.h: what macula-network does per interface
  std::string ntp_sources;               // ntp.h: chronyd's sources
  std::optional<std::string> timezone;   // /etc/localtime -> /usr/share/zoneinfo/NAME
  std::optional<std::string> keyboard;   // the console keymap, by loadkeys
  std::optional<std::string> locale;     // LANG in /etc/default/locale, built if missing
  std::string firewall;                  // firewall.h: loaded by nft -f -
  std::string mesh_env;                  // mesh.h: kMeshEnvPath
  std::vector<MeshRole> mesh_roles;      // in the default runlevel or not
  std::string mdns_services;             // mdns.h: kMdnsServicesPath
  K3sConfig k3s;
  std::vector<std::string> boot_cmds;    // last, by sh -c, in order
};

// pairing_open: the pairing service runs (firewall.h's kPairingCue), and its port stays open.
// installed: booted from an installed disk (its boot state), not from live media.
BootPlan boot_plan(const ConfigNode& config, const GithubKeys& github_keys = {}, bool pairing_open = false,
                   bool installed = false);

// A stage's commands, in order, and the key they are under: init_cmd, boot_cmd or run_cmd (the
// network stage has none: it fetches macula.config_url's config).
std::vector<std::string> stage_commands(const ConfigNode& config, ConfigStage stage);
const char* stage_commands_key(ConfigStage stage);

// Carries the plan out on this machine. A step that fails does not stop the others: every
// failure is returned, each naming its key.
std::vector<Error> apply_boot_plan(const BootPlan& plan);

// Runs each command by sh -c, in order, its output on ours; one that fails or outlasts
// kCommandTimeout is an error naming it by key and place (boot_cmd[2]) and saying how it ended,
// never its text; the next still runs. A command is done when its process exits: a daemon it
// started in the background runs on.
inline constexpr std::chrono::minutes kCommandTimeout{5};
std::vector<Error> run_stage_commands(std::span<const std::string> commands, std::string_view key);

}  // namespace macula
