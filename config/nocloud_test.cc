#include "config/nocloud.h"

#include <catch2/catch.hpp>

#include "config/config_sources.h"
#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("NoCloud meta-data gives the host name and nothing else") {
  const ConfigNode config = from_nocloud_meta_data(parsed("instance-id: i-1\nlocal-hostname: vm-7\n"));
  CHECK(config_text(config, "hostname") == "vm-7");
  CHECK(config.pairs.size() == 1);
}

TEST_CASE("cloud-config user-data: runcmd and bootcmd renamed, an argv item quoted for sh") {
  const ConfigNode config = from_cloud_config(parsed(
      "#cloud-config\nhostname: vm-8\nruncmd:\n  - echo one\n  - [touch, \"/tmp/it's here\"]\nbootcmd: [date]\n")).tree;
  CHECK(config_text(config, "hostname") == "vm-8");
  const ConfigNode* run = config_at(config, "run_cmd");
  REQUIRE(run);
  REQUIRE(run->items.size() == 2);
  CHECK(run->items[0].text == "echo one");
  CHECK(run->items[1].text == "'touch' '/tmp/it'\\''s here'");
  CHECK(run->items[1].is_scalar());
  CHECK(config_text(config, "boot_cmd") == std::nullopt);
  CHECK(config_at(config, "boot_cmd")->items[0].text == "date");
  CHECK_FALSE(config_at(config, "runcmd"));
}

TEST_CASE("the seed merges after the node's files: user-data over meta-data, a script ignored") {
  using Format = ConfigText::Format;
  const std::vector<ConfigText> texts = {
      {"/var/lib/maculaos/config.yaml", "hostname: from-disk\nmaculaos: {timezone: UTC}\n"},
      {"/run/macula/nocloud/meta-data", "local-hostname: from-meta\n", Format::nocloud_meta_data},
      {"/run/macula/nocloud/user-data", "#cloud-config\nruncmd: [date]\npackages: [vim]\n", Format::nocloud_user_data},
  };
  const MergedConfig merged = merge_config_sources(texts, {});
  CHECK(config_text(merged.tree, "hostname") == "from-meta");
  CHECK(config_text(merged.tree, "maculaos.timezone") == "UTC");
  CHECK(config_at(merged.tree, "run_cmd"));
  REQUIRE(merged.issues.size() == 1);  // cloud-init's packages: unknown here, a warning
  CHECK(merged.issues[0].str() ==
        "/run/macula/nocloud/user-data:3:11: warning: packages: cloud-config key `packages` is not supported by MaculaOS (an immutable root): ignored");

  const std::vector<ConfigText> script = {{"/run/macula/nocloud/user-data", "#!/bin/sh\nreboot\n", Format::nocloud_user_data}};
  const MergedConfig ignored = merge_config_sources(script, {});
  REQUIRE(ignored.issues.size() == 1);
  CHECK(ignored.issues[0].severity == ConfigIssue::Severity::warning);
  CHECK_FALSE(has_errors(ignored.issues));
}

TEST_CASE("an instance applied at an earlier boot keeps its config and boot_cmd, and its run_cmd ran once") {
  using Format = ConfigText::Format;
  const std::string user = "#cloud-config\nhostname: vm-9\nruncmd: [date]\nbootcmd: [uptime]\n";
  const std::vector<ConfigText> texts = {{"/var/lib/maculaos/nocloud/user-data", user, Format::nocloud_applied_user_data}};
  const MergedConfig merged = merge_config_sources(texts, {});
  CHECK(config_text(merged.tree, "hostname") == "vm-9");
  CHECK(config_at(merged.tree, "boot_cmd")->items.at(0).text == "uptime");
  CHECK_FALSE(config_at(merged.tree, "run_cmd"));
  CHECK(merged.issues.empty());
  // the same instance first seen at this boot runs it
  const std::vector<ConfigText> first = {{"/run/macula/nocloud/user-data", user, Format::nocloud_user_data}};
  CHECK(config_at(merge_config_sources(first, {}).tree, "run_cmd"));
}

TranslatedConfig translated(std::string_view yaml) { return from_cloud_config(parsed(yaml, "user-data")); }

std::vector<std::string> issue_lines(const std::vector<ConfigIssue>& issues) {
  std::vector<std::string> lines;
  for (const ConfigIssue& issue : issues) lines.push_back(issue.str());
  return lines;
}

TEST_CASE("cloud-config timezone, locale, keyboard and ntp become the maculaos keys, the file's own maculaos winning") {
  const TranslatedConfig t = translated(
      "#cloud-config\ntimezone: Europe/Berlin\nlocale: de_DE.UTF-8\nkeyboard: {layout: de}\n"
      "ntp: {enabled: true, servers: [10.0.0.1], pools: [pool.example]}\nmaculaos: {locale: C.UTF-8}\n");
  CHECK(t.issues.empty());
  CHECK(config_text(t.tree, "maculaos.timezone") == "Europe/Berlin");
  CHECK(config_text(t.tree, "maculaos.locale") == "C.UTF-8");
  CHECK(config_text(t.tree, "maculaos.keyboard") == "de");
  CHECK(config_texts(t.tree, "maculaos.ntp_servers") == std::vector<std::string>{"10.0.0.1", "pool.example"});
  CHECK(validate_config(t.tree).empty());
  CHECK_FALSE(config_at(t.tree, "timezone"));
}

TEST_CASE("a cloud-init key MaculaOS does not do is a warning naming it, and other keys go to the schema") {
  const TranslatedConfig t = translated("#cloud-config\npackages: [vim]\nmounts: []\nntp: {ntp_client: chrony, servers: [a.example]}\nhostnme: x\n");
  CHECK(issue_lines(t.issues) == std::vector<std::string>{
      "user-data:2:11: warning: packages: cloud-config key `packages` is not supported by MaculaOS (an immutable root): ignored",
      "user-data:3:9: warning: mounts: cloud-config key `mounts` is not supported by MaculaOS (an immutable root): ignored",
      "user-data:4:19: warning: ntp.ntp_client: not supported by MaculaOS: ignored"});
  CHECK_FALSE(config_at(t.tree, "packages"));
  const std::vector<ConfigIssue> schema = validate_config(t.tree);
  REQUIRE(schema.size() == 1);
  CHECK(schema[0].key == "hostnme");
}

TEST_CASE("cloud-config users: default dropped, a name alone, groups and sudo as one value become lists") {
  const TranslatedConfig t = translated(
      "#cloud-config\nusers:\n  - default\n  - ops\n  - name: ada\n    groups: 'adm, sudo'\n    shell: /bin/bash\n"
      "    sudo: ALL=(ALL) NOPASSWD:ALL\n    lock_passwd: false\n    hashed_passwd: $6$salt$hash\n"
      "    ssh_authorized_keys: [ssh-ed25519 AAAA ada]\n  - {name: bob, sudo: false}\n");
  CHECK(t.issues.empty());
  CHECK(validate_config(t.tree).empty());
  const ConfigNode* users = config_at(t.tree, "users");
  REQUIRE(users);
  REQUIRE(users->items.size() == 3);
  CHECK(config_text(users->items[0], "name") == "ops");
  CHECK(config_texts(users->items[1], "groups") == std::vector<std::string>{"adm", "sudo"});
  CHECK(config_texts(users->items[1], "sudo") == std::vector<std::string>{"ALL=(ALL) NOPASSWD:ALL"});
  CHECK(config_text(users->items[1], "passwd") == "$6$salt$hash");
  CHECK(config_texts(users->items[2], "sudo").empty());
}

TEST_CASE("chpasswd: hashes taken (the node user's as maculaos.password), plain text and random refused naming the user") {
  const TranslatedConfig t = translated(
      "#cloud-config\nusers: [{name: ada}]\nchpasswd:\n  expire: false\n  list: |\n    macula:$6$s1$h1\n    root:$6$s2$h2\n"
      "  users:\n    - {name: ada, password: $6$s3$h3, type: hash}\n");
  CHECK(t.issues.empty());
  CHECK(validate_config(t.tree).empty());
  CHECK(config_text(t.tree, "maculaos.password") == "$6$s1$h1");
  const ConfigNode* users = config_at(t.tree, "users");
  REQUIRE(users);
  REQUIRE(users->items.size() == 2);
  CHECK(config_text(users->items[0], "name") == "ada");
  CHECK(config_text(users->items[0], "passwd") == "$6$s3$h3");
  CHECK(config_text(users->items[0], "lock_passwd") == "false");
  CHECK(config_text(users->items[1], "name") == "root");
  CHECK(config_text(users->items[1], "passwd") == "$6$s2$h2");

  const TranslatedConfig plain = translated(
      "#cloud-config\nchpasswd:\n  list: [ 'root:hunter2' ]\n  users:\n    - {name: ada, password: 'RANDOM', type: RANDOM}\n"
      "    - {name: bob, password: $6$s$h, type: text}\n");
  CHECK(issue_lines(plain.issues) == std::vector<std::string>{
      "user-data:3:11: chpasswd.list[0]: root: a plain-text password is refused: give a crypt(3) hash (openssl passwd -6)",
      "user-data:5:7: chpasswd.users[0]: ada: a random password is refused: give a crypt(3) hash (openssl passwd -6)",
      "user-data:6:7: chpasswd.users[1]: bob: a plain-text password is refused: give a crypt(3) hash (openssl passwd -6)"});
  for (const std::string& line : issue_lines(plain.issues)) CHECK(line.find("hunter2") == std::string::npos);
}

TEST_CASE("a #cloud-config file is checked as the boot takes it: runcmd and users are no unknown keys") {
  const std::string user = "#cloud-config\nruncmd: [date]\nusers: [{name: ada, shell: /bin/sh}]\ntimezone: UTC\n";
  CHECK(format_of_file("/tmp/seed/user-data", user) == ConfigText::Format::nocloud_user_data);
  CHECK(format_of_file("/tmp/config.yaml", "hostname: a\n") == ConfigText::Format::config);
  CHECK(format_of_file("/tmp/seed/network-config", "version: 2\n") == ConfigText::Format::nocloud_network_config);
  const CheckedSource checked = check_config_text({"user-data", user, format_of_file("user-data", user)});
  CHECK(checked.issues.empty());
  REQUIRE(checked.tree);
  CHECK(config_at(*checked.tree, "run_cmd"));
  const CheckedSource bad = check_config_text({"user-data", "#cloud-config\nchpasswd: {list: ['root:x']}\n", ConfigText::Format::nocloud_user_data});
  CHECK_FALSE(bad.tree);
  CHECK(has_errors(bad.issues));
}

}  // namespace
}  // namespace macula
