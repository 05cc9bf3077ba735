#include "config/nocloud.h"

#include <algorithm>
#include <array>
#include <string>

#include "common/text_lines.h"
#include "config/sh_quote.h"
#include "names/names.h"

namespace macula {

namespace {

// cloud-init's keys of modules MaculaOS does not have: its root is an image, its disks are
// the installer's, its packages come with an upgrade.
constexpr std::array<std::string_view, 47> kUnsupportedCloudKeys = {
    "packages", "package_update", "package_upgrade", "package_reboot_if_required", "apt", "apt_pipelining",
    "apk_repos", "snap", "yum_repos", "zypper", "mounts", "mount_default_fields", "swap", "growpart",
    "resize_rootfs", "disk_setup", "fs_setup", "device_aliases", "power_state", "phone_home", "final_message",
    "ssh_pwauth", "disable_root", "disable_root_opts", "password", "ssh_keys", "ssh_deletekeys",
    "ssh_genkeytypes", "ssh_import_id", "ssh_publish_hostkeys", "manage_etc_hosts", "fqdn",
    "prefer_fqdn_over_hostname", "preserve_hostname", "ca_certs", "ca-certs", "manage_resolv_conf",
    "resolv_conf", "rsyslog", "groups", "lxd", "random_seed", "wireguard", "ansible", "puppet", "chef",
    "salt_minion",
};

ConfigNode scalar_node(std::string text, const ConfigMark& mark) {
  return ConfigNode{ConfigNode::Kind::scalar, std::move(text), {}, {}, mark};
}

ConfigNode sequence_node(const ConfigMark& mark) { return ConfigNode{ConfigNode::Kind::sequence, "", {}, {}, mark}; }

std::string trimmed(std::string_view text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(text.substr(first, text.find_last_not_of(" \t") - first + 1));
}

// cloud-init takes "a, b" where it takes a list.
ConfigNode comma_list(const ConfigNode& value) {
  if (!value.is_scalar()) return value;
  ConfigNode list = sequence_node(value.mark);
  for (std::size_t at = 0; at <= value.text.size();) {
    const std::size_t comma = std::min(value.text.find(',', at), value.text.size());
    if (std::string item = trimmed(std::string_view(value.text).substr(at, comma - at)); !item.empty())
      list.items.push_back(scalar_node(std::move(item), value.mark));
    at = comma + 1;
  }
  return list;
}

// cloud-init's command list: a string goes to sh as it is; a list is argv.
ConfigNode commands(const ConfigNode& list) {
  if (!list.is_sequence()) return list;  // the schema says what is wrong with it
  ConfigNode out = list;
  for (ConfigNode& item : out.items) {
    if (!item.is_sequence()) continue;
    std::string line;
    for (const ConfigNode& word : item.items) line += (line.empty() ? "" : " ") + sh_quoted(word.text);
    item = scalar_node(line, item.mark);
  }
  return out;
}

void set(ConfigNode& mapping, std::string_view key, ConfigNode value) {
  for (auto& [name, old] : mapping.pairs)
    if (name == key) {
      old = std::move(value);
      return;
    }
  mapping.pairs.emplace_back(std::string(key), std::move(value));
}

class Translator {
 public:
  explicit Translator(const ConfigNode& user) { out_.tree.mark = user.mark; }

  TranslatedConfig done(const ConfigNode& user) {
    if (const ConfigNode* chpasswd = user.find("chpasswd")) passwords(*chpasswd);
    if (!maculaos_.pairs.empty()) {
      const ConfigNode* own = user.find("maculaos");
      if (own && own->is_mapping()) merge_config(maculaos_, *own);  // the file's own maculaos: wins
      if (!own || own->is_mapping()) set(out_.tree, "maculaos", maculaos_);
    }
    if (users_) set(out_.tree, "users", *users_);
    return std::move(out_);
  }

  void key(const std::string& name, const ConfigNode& value) {
    if (name == "runcmd") return set(out_.tree, "run_cmd", commands(value));
    if (name == "bootcmd") return set(out_.tree, "boot_cmd", commands(value));
    if (name == "users") return users(value);
    if (name == "chpasswd") return;  // after users: it sets their passwords
    if (name == "timezone") return set(maculaos_, "timezone", value);
    if (name == "locale") return set(maculaos_, "locale", value);
    if (name == "keyboard") return keyboard(value);
    if (name == "ntp") return ntp(value);
    if (std::ranges::find(kUnsupportedCloudKeys, name) != kUnsupportedCloudKeys.end())
      return warn(value.mark, name, "cloud-config key `" + name + "` is not supported by MaculaOS (an immutable root): ignored");
    set(out_.tree, name, value);  // ours (hostname, write_files, ...) or the schema's to name
  }

 private:
  TranslatedConfig out_;
  ConfigNode maculaos_;
  std::optional<ConfigNode> users_;

  void warn(const ConfigMark& mark, std::string key, std::string message) {
    out_.issues.push_back({ConfigIssue::Severity::warning, mark, std::move(key), std::move(message)});
  }
  void error(const ConfigMark& mark, std::string key, std::string message) {
    out_.issues.push_back({ConfigIssue::Severity::error, mark, std::move(key), std::move(message)});
  }

  void unknown_fields(const ConfigNode& mapping, const std::string& path, std::initializer_list<std::string_view> known) {
    for (const auto& [name, value] : mapping.pairs)
      if (std::ranges::find(known, name) == known.end()) warn(value.mark, path + "." + name, "not supported by MaculaOS: ignored");
  }

  void users(const ConfigNode& value) {
    const ConfigNode list = comma_list(value);
    if (!list.is_sequence()) {
      users_ = list;  // the schema says what is wrong with it
      return;
    }
    users_ = sequence_node(list.mark);
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const ConfigNode& item = list.items[i];
      if (item.is_scalar() && item.text == "default") continue;  // the node user: the image has it
      if (item.is_scalar()) {
        ConfigNode entry;
        entry.mark = item.mark;
        set(entry, "name", item);
        users_->items.push_back(std::move(entry));
        continue;
      }
      ConfigNode entry = item;
      const std::string key = "users[" + std::to_string(i) + "]";
      for (auto& [name, field] : entry.pairs) {
        if (name == "groups") field = comma_list(field);
        if (name == "hashed_passwd") name = "passwd";
        if (name == "plain_text_passwd")
          error(field.mark, key + ".plain_text_passwd", "a plain-text password is refused: give passwd a crypt(3) hash (openssl passwd -6)");
        if (name == "sudo" && field.is_scalar()) {
          ConfigNode rules = sequence_node(field.mark);
          if (parse_boolean(field.text) != false && !field.text.empty() && field.text != "null") rules.items.push_back(field);
          field = std::move(rules);
        }
      }
      std::erase_if(entry.pairs, [](const auto& pair) { return pair.first == "plain_text_passwd"; });
      users_->items.push_back(std::move(entry));
    }
  }

  void keyboard(const ConfigNode& value) {
    if (!value.is_mapping()) return error(value.mark, "keyboard", "expected a mapping with layout");
    if (const ConfigNode* layout = value.find("layout")) set(maculaos_, "keyboard", *layout);
    unknown_fields(value, "keyboard", {"layout"});
  }

  void ntp(const ConfigNode& value) {
    if (!value.is_mapping()) return error(value.mark, "ntp", "expected a mapping with servers or pools");
    ConfigNode servers = sequence_node(value.mark);
    for (std::string_view key : {"servers", "pools"})
      if (const ConfigNode* list = value.find(key)) {
        const ConfigNode items = comma_list(*list);
        if (!items.is_sequence()) return error(list->mark, "ntp." + std::string(key), "expected a list of servers");
        servers.items.insert(servers.items.end(), items.items.begin(), items.items.end());
      }
    if (!servers.items.empty()) set(maculaos_, "ntp_servers", std::move(servers));
    if (const ConfigNode* enabled = value.find("enabled"); enabled && parse_boolean(enabled->text) == false)
      warn(enabled->mark, "ntp.enabled", "chronyd keeps the clock on MaculaOS: ignored");
    unknown_fields(value, "ntp", {"servers", "pools", "enabled"});
  }

  struct Password {
    std::string user, password, type;
    ConfigMark mark;
    std::string key;
  };

  // chpasswd's list (`user:hash` lines, as one text or a list) and users ([{name, password, type}]).
  void passwords(const ConfigNode& value) {
    if (!value.is_mapping()) return error(value.mark, "chpasswd", "expected a mapping with users or list");
    std::vector<Password> entries;
    if (const ConfigNode* list = value.find("list")) {
      std::vector<std::pair<std::string, ConfigMark>> lines;
      if (list->is_scalar())
        for (std::string_view line : text_lines(list->text)) lines.emplace_back(trimmed(line), list->mark);
      else
        for (const ConfigNode& item : list->items) lines.emplace_back(item.text, item.mark);
      for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto& [line, mark] = lines[i];
        if (line.empty()) continue;
        const std::size_t colon = line.find(':');
        const std::string key = "chpasswd.list[" + std::to_string(i) + "]";
        if (colon == std::string::npos || colon == 0) {
          error(mark, key, "expected USER:HASH");
          continue;
        }
        entries.push_back({line.substr(0, colon), line.substr(colon + 1), "", mark, key});
      }
    }
    if (const ConfigNode* list = value.find("users"); list && list->is_sequence())
      for (std::size_t i = 0; i < list->items.size(); ++i) {
        const ConfigNode& item = list->items[i];
        entries.push_back({config_text(item, "name").value_or(""), config_text(item, "password").value_or(""),
                           config_text(item, "type").value_or(""), item.mark, "chpasswd.users[" + std::to_string(i) + "]"});
      }
    else if (list)
      error(list->mark, "chpasswd.users", "expected a list of {name, password, type: hash}");
    if (const ConfigNode* expire = value.find("expire"); expire && parse_boolean(expire->text) != false)
      warn(expire->mark, "chpasswd.expire", "passwords are not expired on MaculaOS: ignored");
    unknown_fields(value, "chpasswd", {"list", "users", "expire"});
    for (const Password& entry : entries) password(entry);
  }

  void password(const Password& entry) {
    if (entry.user.empty()) return error(entry.mark, entry.key, "expected the name of the user");
    const bool random = entry.type == "RANDOM" || entry.password == "R" || entry.password == "RANDOM";
    const bool hash = setting_problem("maculaos.password", entry.password).empty();
    if (random) return error(entry.mark, entry.key, entry.user + ": a random password is refused: give a crypt(3) hash (openssl passwd -6)");
    if (entry.type == "text" || (entry.type.empty() && !hash))
      return error(entry.mark, entry.key, entry.user + ": a plain-text password is refused: give a crypt(3) hash (openssl passwd -6)");
    if (!hash) return error(entry.mark, entry.key, entry.user + ": expected a crypt(3) hash ($6$...)");
    if (entry.user == kNodeUser) return set(maculaos_, "password", scalar_node(entry.password, entry.mark));
    if (!users_ || !users_->is_sequence()) users_ = sequence_node(entry.mark);
    auto named = std::ranges::find_if(users_->items, [&](const ConfigNode& u) { return config_text(u, "name") == entry.user; });
    if (named == users_->items.end()) {
      ConfigNode created;
      created.mark = entry.mark;
      set(created, "name", scalar_node(entry.user, entry.mark));
      named = users_->items.insert(users_->items.end(), std::move(created));
    }
    set(*named, "passwd", scalar_node(entry.password, entry.mark));
    // what chpasswd sets is meant to log in: cloud-init's lock comes before it
    set(*named, "lock_passwd", scalar_node("false", entry.mark));
  }
};

}  // namespace

ConfigNode from_nocloud_meta_data(const ConfigNode& meta) {
  ConfigNode out;
  if (const ConfigNode* name = meta.find("local-hostname")) out.pairs.emplace_back("hostname", *name);
  return out;
}

TranslatedConfig from_cloud_config(const ConfigNode& user) {
  Translator translator(user);
  for (const auto& [key, value] : user.pairs) translator.key(key, value);
  return translator.done(user);
}

TranslatedConfig from_applied_cloud_config(const ConfigNode& user) {
  TranslatedConfig out = from_cloud_config(user);
  std::erase_if(out.tree.pairs, [](const auto& pair) { return pair.first == "run_cmd"; });
  return out;
}

}  // namespace macula
