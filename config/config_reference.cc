#include "config/config_reference.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "common/json.h"

namespace macula {

namespace {

// What reads or applies a key (docs/configuration.md; config/config_apply.h's stages).
enum class AppliedBy { its_keys, init_stage, boot_stage, run_stage, init_live, init_trial, init_seed, setup, upgrade, pairing };

std::string_view applied_by_name(AppliedBy by) {
  switch (by) {
    case AppliedBy::its_keys: return "its keys";
    case AppliedBy::init_stage: return "init stage";
    case AppliedBy::boot_stage: return "boot stage";
    case AppliedBy::run_stage: return "run stage";
    case AppliedBy::init_live: return "init, before the root (live boots)";
    case AppliedBy::init_trial: return "init (a trial boot)";
    case AppliedBy::init_seed: return "init (NoCloud seeds)";
    case AppliedBy::setup: return "maculaos setup";
    case AppliedBy::upgrade: return "maculaos upgrade";
    case AppliedBy::pairing: return "pairing";
  }
  return "";
}

// Which sources may set a key: every one, every one and NoCloud's meta-data (the host name), or
// those init reads before there is a state (live persistence).
enum class Reach { every_source, with_meta_data, before_state };

struct KeyDoc {
  std::string_view key;
  AppliedBy applied_by;
  std::string_view description;
  Reach reach = Reach::every_source;
};

using enum AppliedBy;

// One entry per schema key (config_reference_test fails for a key without one).
constexpr KeyDoc kKeyDocs[] = {
    {"hostname", boot_stage, "The host name (/etc/hostname); unset: macula-XXXXXX from the first wired MAC.", Reach::with_meta_data},
    {"ssh_authorized_keys", boot_stage, "User macula's SSH keys (~macula/.ssh/authorized_keys, 0600); github:USER: the keys GitHub publishes, fetched by the network stage."},
    {"write_files", boot_stage, "Files written first in the boot stage, atomically, parent directories made."},
    {"write_files[].path", boot_stage, "Where the file goes."},
    {"write_files[].content", boot_stage, "The file's content, encoded as encoding says."},
    {"write_files[].encoding", boot_stage, "How content is encoded; none: plain text."},
    {"write_files[].owner", boot_stage, "The file's owner; unset: root."},
    {"write_files[].permissions", boot_stage, "The file's mode; unset: 0644."},
    {"write_files[].append", boot_stage, "Add content to the end of the file instead of replacing it (once: a file that already ends with it is left alone)."},
    {"write_files[].defer", boot_stage, "Written after users are made (cloud-init's defer: for files owned by a new user), still in the boot stage."},
    {"users", boot_stage, "Users made or changed in the boot stage, after macula's password and keys (cloud-init's users; \"default\" is macula)."},
    {"users[].name", boot_stage, "The user's login name."},
    {"users[].groups", boot_stage, "Groups the user is added to (made when missing)."},
    {"users[].shell", boot_stage, "The user's login shell."},
    {"users[].ssh_authorized_keys", boot_stage, "The user's SSH keys (~USER/.ssh/authorized_keys, 0600)."},
    {"users[].passwd", boot_stage, "The user's password as a crypt(3) hash."},
    {"users[].lock_passwd", boot_stage, "Lock the password (key logins only); unset: true, as cloud-init."},
    {"users[].sudo", boot_stage, "sudoers rules for the user (/etc/sudoers.d/90-maculaos-USER, 0440, checked by visudo)."},
    {"init_cmd", init_stage, "Commands run by sh -c on the new root just before OpenRC (k3OS's initrd stage)."},
    {"boot_cmd", boot_stage, "Commands run by sh -c last in the boot stage, at every boot."},
    {"run_cmd", run_stage, "Commands run by sh -c after every other service (local.d)."},
    {"maculaos", its_keys, "MaculaOS's keys (k3OS's k3os:, which is read as this)."},
    {"maculaos.password", boot_stage, "User macula's password as a crypt hash (chpasswd -e); the image's macula/macula stops working. Without it an installed node expires the image's password (the first login sets one) or, with SSH keys, locks it. Hidden by config show."},
    {"maculaos.modules", boot_stage, "Kernel modules loaded by modprobe, each with its parameters."},
    {"maculaos.sysctl", boot_stage, "Kernel parameters written to /proc/sys."},
    {"maculaos.dns_nameservers", boot_stage, "Name servers for /etc/resolv.conf, in place of the DHCP server's."},
    {"maculaos.ntp_servers", boot_stage, "chronyd's sources; unset: Debian's pool."},
    {"maculaos.environment", boot_stage, "Variables for /etc/environment (read by PAM at login)."},
    {"maculaos.labels", boot_stage, "k3s node labels (node-label)."},
    {"maculaos.taints", boot_stage, "k3s node taints (node-taint)."},
    {"maculaos.k3s_args", boot_stage, "k3s flags, written to /etc/rancher/k3s/config.yaml."},
    {"maculaos.server_url", boot_stage, "The k3s server to join as an agent (k3s's server)."},
    {"maculaos.token", boot_stage, "The k3s cluster token (kept 0600 in /var/lib/maculaos/k3s-token). Hidden by config show."},
    {"maculaos.node_name", boot_stage, "The k3s node name (node-name)."},
    {"maculaos.data_sources", init_seed, "Where config may come from besides the files: nocloud lets a CIDATA seed configure a configured node; [] turns seeds off."},
    {"maculaos.keyboard", boot_stage, "The console keymap (loadkeys)."},
    {"maculaos.timezone", boot_stage, "The time zone (/etc/localtime)."},
    {"maculaos.locale", boot_stage, "LANG in /etc/default/locale; built with localedef when the image lacks it."},
    {"maculaos.network", its_keys, "The network plan (/etc/maculaos/network.conf, followed by macula-network)."},
    {"maculaos.network.interfaces", its_keys, "Per interface; an interface not named here gets DHCP."},
    {"maculaos.network.interfaces.NAME.dhcp", boot_stage, "false without an address leaves the interface down; unset: true."},
    {"maculaos.network.interfaces.NAME.address", boot_stage, "A static address with its prefix length."},
    {"maculaos.network.interfaces.NAME.gateway", boot_stage, "The default route, with a static address."},
    {"maculaos.network.interfaces.NAME.dns", boot_stage, "Name servers, with a static address (after dns_nameservers)."},
    {"maculaos.mesh", its_keys, "The Macula mesh daemons' settings (/etc/maculaos/mesh.env)."},
    {"maculaos.mesh.roles", its_keys, "Which mesh services run."},
    {"maculaos.mesh.roles.bootstrap", boot_stage, "Run macula-bootstrap (443/tcp+udp opened)."},
    {"maculaos.mesh.roles.gateway", boot_stage, "Run macula-gateway (443/tcp+udp and 80/tcp opened)."},
    {"maculaos.mesh.roles.peer", boot_stage, "The peer role (macula-mesh, always in the default runlevel); unset: true."},
    {"maculaos.mesh.bootstrap_peers", boot_stage, "Bootstrap peers the mesh daemons start from."},
    {"maculaos.mesh.realm", boot_stage, "The mesh realm."},
    {"maculaos.mesh.tls_mode", boot_stage, "The mesh daemons' TLS mode."},
    {"maculaos.firewall", its_keys, "The nftables firewall (table inet maculaos)."},
    {"maculaos.firewall.enabled", boot_stage, "false removes the table."},
    {"maculaos.firewall.allow", boot_stage, "Inbound ports opened beyond what the node's roles need."},
    {"maculaos.live", its_keys, "Live boots' persistence (read by init before there is a state)."},
    {"maculaos.live.persistence", init_live, "Keep a live boot's changes on a persistence partition.", Reach::before_state},
    {"maculaos.live.persistence_device", init_live, "Where the persistence partition is or is made.", Reach::before_state},
    {"maculaos.live.persistence_size", init_live, "The size of a persistence partition init makes.", Reach::before_state},
    {"maculaos.upgrade", its_keys, "Where upgrades come from."},
    {"maculaos.upgrade.url", upgrade, "The update server (a release layout), or github://OWNER/REPO (GitHub's releases of it)."},
    {"maculaos.upgrade.channel", upgrade, "The release channel: stable, beta or nightly on GitHub; unset: stable."},
    {"maculaos.upgrade.auto_check", upgrade, "Check the channel after each boot (once the slot is good) and about daily; sysinfo and the motd say when a newer release is out."},
    {"maculaos.upgrade.auto_apply", upgrade, "Apply a newer release the check found, in the maintenance window, and reboot into it; on a k3s node drained first, at most max_unavailable nodes of the cluster at once."},
    {"maculaos.upgrade.maintenance_window", upgrade, "When auto_apply may reboot the node, in its local time: [DAYS ]HH:MM-HH:MM ('Sun 02:00-04:00', 'Mon-Fri 01:30-03:00'); unset: any time."},
    {"maculaos.upgrade.max_unavailable", upgrade, "How many nodes of a cluster may be upgrading at once (a Lease each in kube-system); unset: 1."},
    {"maculaos.boot", its_keys, "The boot's guarantees."},
    {"maculaos.boot.grub_password", boot_stage, "GRUB's superuser password as grub-mkpasswd-pbkdf2 prints its hash: editing a menu entry and the recovery entry ask for it (installed disks)."},
    {"maculaos.boot.watchdog", init_trial, "Seconds a trial boot has to be assessed good before the watchdog resets it; 0: off."},
    {"maculaos.setup", its_keys, "What maculaos setup installs, and from where."},
    {"maculaos.setup.source", setup,
     "Where k3s and Flux are downloaded from: GitHub's release layout, a mirror of it, or a directory on the node in it."},
    {"maculaos.setup.k3s_version", setup, "The k3s release installed."},
    {"maculaos.setup.flux_version", setup, "The Flux release installed."},
    {"maculaos.setup.airgap_images", setup, "Also download k3s's air-gap images."},
    {"maculaos.setup.gitops", its_keys, "The Git repository Flux follows."},
    {"maculaos.setup.gitops.url", setup, "The repository."},
    {"maculaos.setup.gitops.branch", setup, "The branch followed."},
    {"maculaos.setup.gitops.path", setup, "The path inside the repository."},
    {"maculaos.portal", its_keys, "The Portal the node pairs with."},
    {"maculaos.portal.url", pairing, "The Portal's address."},
    {"maculaos.portal.signing_key", pairing, "The Portal's Ed25519 public key, which its answers are checked against."},
    {"k3s", its_keys, "k3s's own keys."},
    {"k3s.args", boot_stage, "k3s flags, after maculaos.k3s_args."},
};

// The sources' short names, in merge order (the intro says what each is).
constexpr std::string_view kImage = "image", kMedia = "media", kNodeFile = "config.yaml", kDropIn = "config.d",
                           kMetaData = "NoCloud meta-data", kUserData = "NoCloud user-data", kRemote = "config_url",
                           kCmdline = "cmdline";

std::string command_line_spelling(const SchemaKey& key) {
  if (!key.key.starts_with("maculaos.") || key.key.find("[]") != std::string::npos) return {};
  switch (key.shape) {
    case SchemaKey::Shape::value: return key.key + "=VALUE";
    case SchemaKey::Shape::list: return key.key + "=VALUE (repeated: one item each)";
    case SchemaKey::Shape::map: return key.key + ":NAME=VALUE";
    default: return {};
  }
}

std::vector<std::string> sources_of(Reach reach, bool on_command_line) {
  std::vector<std::string_view> names;
  if (reach == Reach::before_state) names = {kImage, kMedia};
  else names = {kImage, kMedia, kNodeFile, kDropIn};
  if (reach == Reach::with_meta_data) names.push_back(kMetaData);
  if (reach != Reach::before_state) names.insert(names.end(), {kUserData, kRemote});
  if (on_command_line) names.push_back(kCmdline);
  return {names.begin(), names.end()};
}

std::optional<std::string> default_text(const ConfigNode& defaults, const SchemaKey& key) {
  const ConfigNode* node = config_at(defaults, key.key);
  if (!node || node->is_mapping()) return std::nullopt;
  if (node->is_scalar()) return node->text;
  std::string out = "[";
  for (const ConfigNode& item : node->items) out += (out.size() > 1 ? ", " : "") + item.text;
  return out + "]";
}

}  // namespace

Result<std::vector<KeyReference>> config_reference(const ConfigNode& image_defaults) {
  std::map<std::string_view, const KeyDoc*> docs;
  std::string problems;
  auto problem = [&](const std::string& p) { problems += (problems.empty() ? "" : "; ") + p; };
  for (const KeyDoc& doc : kKeyDocs)
    if (!docs.emplace(doc.key, &doc).second) problem(std::string(doc.key) + ": described twice");
  std::vector<KeyReference> out;
  for (const SchemaKey& key : schema_keys()) {
    const auto doc = docs.find(key.key);
    if (doc == docs.end()) {
      problem(key.key + ": no entry in config_reference.cc's kKeyDocs");
      continue;
    }
    KeyReference ref{key, std::string(doc->second->description), std::string(applied_by_name(doc->second->applied_by)), {}, command_line_spelling(key),
                     default_text(image_defaults, key)};
    const bool parent = key.shape == SchemaKey::Shape::mapping || key.shape == SchemaKey::Shape::map_of;
    if (!parent) ref.sources = sources_of(doc->second->reach, !ref.command_line.empty());
    out.push_back(std::move(ref));
    docs.erase(doc);
  }
  for (const auto& [name, doc] : docs) problem(std::string(name) + ": described in kKeyDocs, not a key of the schema");
  if (!problems.empty()) return fail("the config reference: " + problems);
  return out;
}

namespace {

std::string type_text(const SchemaKey& key) {
  const std::string value = key.flag ? "true or false" : key.takes.empty() ? "text" : key.takes;
  std::string out;
  switch (key.shape) {
    case SchemaKey::Shape::value: out = value; break;
    case SchemaKey::Shape::list: out = "list of: " + value; break;
    case SchemaKey::Shape::map: out = "map of NAME (" + key.name_takes + ") to: " + value; break;
    case SchemaKey::Shape::mapping: out = "mapping"; break;
    case SchemaKey::Shape::list_of: out = "list of mappings"; break;
    case SchemaKey::Shape::map_of: out = "map of NAME (" + key.name_takes + ") to mappings"; break;
  }
  if (key.required) out += "; required";
  return out;
}

// A table cell: one line, no column break.
std::string cell(std::string_view text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

constexpr std::string_view kMarkdownIntro = R"md(# Node config reference

<!-- Generated by `maculaos config schema --markdown` (make config-reference); tests/test_config.py
fails when this file differs from it. Edit config/config_reference.cc or config/config_schema.cc. -->

Every key of a node's `config.yaml`: its type, the image's default (from the image's
`/usr/share/maculaos/config.yaml`; "—": none, the key's own words say what unset means), what
applies it and which sources may set it. The sources, merged in this order, a later one winning
key by key (a mapping merges, a list or a value is replaced whole):

- `image`: the image's defaults, `/usr/share/maculaos/config.yaml`;
- `media`: on a live boot, `maculaos/config.yaml` on the boot media;
- `config.yaml`: `/var/lib/maculaos/config.yaml`;
- `config.d`: `/var/lib/maculaos/config.d/*.yaml`, in name order;
- `NoCloud meta-data`, `NoCloud user-data`: a CIDATA seed (`local-hostname` is `hostname`; a
  `#cloud-config` user-data is read as a config.yaml);
- `config_url`: the config at the kernel command line's `macula.config_url=https://...`;
- `cmdline`: the kernel command line's `maculaos.KEY=VALUE` words.

Keys under `live` are read by init before there is a state: only the image, the media and the
command line set them.

**The kernel command line**: dots nest (`maculaos.mesh.roles.gateway=true`), a bare word is
`true`, a key given twice is a list. One value where a list is expected is a list of that one
value, on the command line (`maculaos.dns_nameservers=1.1.1.1`) as in a file
(`dns_nameservers: 1.1.1.1`). A name with dots of its own (a sysctl, a label) follows a colon,
which ends the nesting: `maculaos.sysctl:net.ipv4.ip_forward=1`,
`maculaos.labels:topology.kubernetes.io/zone=lab`. (Quotes cannot mark it: GRUB takes them off,
and so does the reader of the command line. The command line sets no key outside `maculaos:`
and no list of mappings: put those in a file.)

**k3OS**: `k3os:` is read as `maculaos:`, with one warning naming the file; where a file has
both, they merge and `maculaos:` wins key by key. An unknown key is a warning naming the
nearest known key (`hostnme: unknown key, ignored (did you mean hostname?)`).

## Checking a config.yaml in an editor

`maculaos config schema --json` prints a JSON Schema (draft-07) of a config.yaml; this tree keeps
it as `docs/config-schema.json`. Editors that use Red Hat's YAML language server (VS Code's YAML
extension, Neovim, Helix, Zed, ...) check a file against it, complete key names and show each
key's description, when the file's first line names it:

```yaml
# yaml-language-server: $schema=./config-schema.json
hostname: edge-1
```

(a path relative to the file, or an https:// URL of `docs/config-schema.json`), or in VS Code's
settings for every such file: `"yaml.schemas": {"./docs/config-schema.json": ["config.yaml",
"config.d/*.yaml"]}`. On a node, `maculaos config validate FILE` checks a file the way the boot
reads it.

## Keys

| Key | Type | Default | Applied by | Sources | Description |
|---|---|---|---|---|---|
)md";

}  // namespace

std::string reference_markdown(const std::vector<KeyReference>& keys) {
  std::string out(kMarkdownIntro);
  for (const KeyReference& ref : keys) {
    std::string sources;
    for (const std::string& s : ref.sources) sources += (sources.empty() ? "" : ", ") + s;
    if (!ref.command_line.empty()) sources += " (`" + ref.command_line + "`)";
    out += "| `" + ref.schema.key + "` | " + cell(type_text(ref.schema)) + " | " +
           (ref.image_default ? "`" + cell(*ref.image_default) + "`" : "—") + " | " + ref.applied_by + " | " +
           (sources.empty() ? "its keys" : cell(sources)) + " | " + cell(ref.description) + " |\n";
  }
  return out;
}

namespace {

std::string indent(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

std::string scalar_schema(const KeyReference& ref, int depth) {
  const std::string types = ref.schema.flag ? R"(["boolean", "string"])" : R"(["string", "number"])";
  return "{\n" + indent(depth + 1) + "\"type\": " + types + "\n" + indent(depth) + "}";
}

// The keys under parent (the schema's dotted spelling: maculaos., write_files[]., KEY.NAME.).
std::vector<const KeyReference*> children(const std::vector<KeyReference>& keys, std::string_view parent) {
  std::vector<const KeyReference*> out;
  for (const KeyReference& ref : keys)
    if (ref.schema.key.starts_with(parent)) {
      const std::string_view rest = std::string_view(ref.schema.key).substr(parent.size());
      if (!rest.empty() && rest.find('.') == std::string_view::npos && rest.find('[') == std::string_view::npos) out.push_back(&ref);
    }
  return out;
}

std::string object_schema(const std::vector<KeyReference>& keys, std::string_view parent, int depth, std::string_view extra);

std::string key_schema(const std::vector<KeyReference>& keys, const KeyReference& ref, int depth) {
  const std::string in = indent(depth + 1);
  std::string head = "{\n" + in + "\"description\": " + json_quote(ref.description + " (" + type_text(ref.schema) + ")") + ",\n";
  if (ref.image_default && ref.schema.shape == SchemaKey::Shape::value) head += in + "\"default\": " + json_quote(*ref.image_default) + ",\n";
  switch (ref.schema.shape) {
    case SchemaKey::Shape::value:
      return head + in + "\"type\": " + (ref.schema.flag ? R"(["boolean", "string"])" : R"(["string", "number"])") + "\n" + indent(depth) + "}";
    case SchemaKey::Shape::list:
      return head + in + "\"type\": \"array\",\n" + in + "\"items\": " + scalar_schema(ref, depth + 1) + "\n" + indent(depth) + "}";
    case SchemaKey::Shape::map:
      return head + in + "\"type\": \"object\",\n" + in + "\"additionalProperties\": " + scalar_schema(ref, depth + 1) + "\n" +
             indent(depth) + "}";
    case SchemaKey::Shape::mapping:
      return object_schema(keys, ref.schema.key + ".", depth, head.substr(2));
    case SchemaKey::Shape::list_of:
      return head + in + "\"type\": \"array\",\n" + in + "\"items\": " + object_schema(keys, ref.schema.key + "[].", depth + 1, "") + "\n" +
             indent(depth) + "}";
    case SchemaKey::Shape::map_of:
      return head + in + "\"type\": \"object\",\n" + in + "\"additionalProperties\": " +
             object_schema(keys, ref.schema.key + ".NAME.", depth + 1, "") + "\n" + indent(depth) + "}";
  }
  return "{}";
}

// extra: lines to put first (a description), each indented one deeper than depth.
std::string object_schema(const std::vector<KeyReference>& keys, std::string_view parent, int depth, std::string_view extra) {
  const std::string in = indent(depth + 1);
  std::string out = "{\n" + std::string(extra) + in + "\"type\": \"object\",\n" + in + "\"additionalProperties\": false,\n";
  std::string required;
  out += in + "\"properties\": {\n";
  const std::vector<const KeyReference*> fields = children(keys, parent);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const std::string name = fields[i]->schema.key.substr(parent.size());
    out += indent(depth + 2) + json_quote(name) + ": " + key_schema(keys, *fields[i], depth + 2) + (i + 1 < fields.size() ? ",\n" : "\n");
    if (fields[i]->schema.required) required += (required.empty() ? "" : ", ") + json_quote(name);
  }
  out += in + "}";
  if (!required.empty()) out += ",\n" + in + "\"required\": [" + required + "]";
  return out + "\n" + indent(depth) + "}";
}

}  // namespace

std::string reference_json_schema(const std::vector<KeyReference>& keys) {
  const std::string extra = R"json(  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "MaculaOS node config (config.yaml)",
  "description": "Generated by maculaos config schema --json (docs/config-reference.md)",
)json";
  std::string out = object_schema(keys, "", 0, extra);
  // k3OS's name for maculaos: read as it, with a warning
  const std::string alias = ",\n    \"k3os\": {\n      \"description\": \"k3OS's name for maculaos: (read as it, with a warning)\",\n"
                            "      \"deprecated\": true,\n      \"$ref\": \"#/properties/maculaos\"\n    }\n  }";
  const std::size_t end = out.rfind("\n  }");
  out.replace(end, 4, alias);
  return out + "\n";
}

}  // namespace macula
