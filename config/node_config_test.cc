#include "config/node_config.h"

#include <catch2/catch.hpp>

#include "config/config_sources.h"

namespace macula {
namespace {

TEST_CASE("flags merge into an existing config, replacing and appending") {
  const std::string in =
      "hostname: old\n"
      "ssh_authorized_keys:\n"
      "  - ssh-ed25519 AAAA first\n"
      "maculaos:\n"
      "  upgrade:\n"
      "    url: https://updates.example/\n";
  ConfigFlags flags;
  flags.set("hostname", "edge-7");
  flags.ssh_keys = {"ssh-ed25519 BBBB second"};
  flags.set("maculaos.password", "$6$salt$hash");
  auto out = merge_node_config(in, "config.yaml", flags);
  REQUIRE(out);
  CHECK_THAT(*out, Catch::Contains("hostname: edge-7"));
  CHECK_THAT(*out, !Catch::Contains("old"));
  CHECK_THAT(*out, Catch::Contains("- ssh-ed25519 AAAA first") && Catch::Contains("- ssh-ed25519 BBBB second"));
  CHECK_THAT(*out, Catch::Contains("url: https://updates.example/"));
  CHECK_THAT(*out, Catch::Contains("password: $6$salt$hash"));
}

TEST_CASE("the config and the flags are checked against the schema before anything is written") {
  auto plain = merge_node_config("maculaos:\n  password: hunter2\n", "cfg.yaml", {});
  REQUIRE_FALSE(plain);
  CHECK_THAT(plain.error().message, Catch::StartsWith("cfg.yaml:2:13: maculaos.password: expected a crypt(3) hash"));
  CHECK_THAT(plain.error().message, !Catch::Contains("hunter2"));
  ConfigFlags flags;
  flags.set("hostname", "under_score");
  auto host = merge_node_config("", "flags", flags);
  REQUIRE_FALSE(host);
  CHECK_THAT(host.error().message, Catch::StartsWith("the installer's options:") && Catch::Contains("hostname: \"under_score\""));
  auto warned = merge_node_config("hostnme: typo\n", "cfg.yaml", {});
  CHECK(warned);  // an unknown key is a warning, not a refusal
}

TEST_CASE("an empty config with no flags is an empty mapping: flags alone make one") {
  auto empty = merge_node_config("", "flags", {});
  REQUIRE(empty);
  CHECK_THAT(*empty, Catch::Contains("{}"));
  ConfigFlags flags;
  flags.set("hostname", "n1");
  auto only = merge_node_config("", "flags", flags);
  REQUIRE(only);
  CHECK_THAT(*only, Catch::Contains("hostname: n1"));
}

TEST_CASE("a config that does not parse names its line and column") {
  auto bad = merge_node_config("hostname: a\nssh_authorized_keys: [one, two\nx: y\n", "cfg.yaml", {});
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Matches("cfg\\.yaml:[0-9]+:[0-9]+: .*"));

  auto tabs = merge_node_config("a:\n\tb: c\n", "cfg.yaml", {});
  REQUIRE_FALSE(tabs);
  CHECK_THAT(tabs.error().message, Catch::StartsWith("cfg.yaml:2:1: "));

  auto list = merge_node_config("- a\n- b\n", "cfg.yaml", {});
  REQUIRE_FALSE(list);
  CHECK(list.error().message ==
        "cfg.yaml:1:1: expected a mapping of keys (hostname:, ssh_authorized_keys:, maculaos: ...)");
}

}  // namespace
}  // namespace macula

namespace macula {

// The settings as the consumers read them: from every source, merged (read_node_config()).
ConfigNode merged_config(std::vector<ConfigText> texts, std::vector<CmdlineParam> cmdline = {}) {
  return merge_config_sources(texts, cmdline).tree;
}

TEST_CASE("upgrade settings come from maculaos.upgrade, channel stable by default") {
  UpgradeSettings s = upgrade_settings(merged_config({{"c.yaml", "maculaos:\n  upgrade:\n    url: http://rel.example/os/\n"}}));
  CHECK(s.url == "http://rel.example/os");
  CHECK(s.channel == "stable");
  s = upgrade_settings(merged_config({{"c.yaml", "hostname: n1\nmaculaos:\n  upgrade: {url: 'https://r', channel: edge}\n"}}));
  CHECK(s.channel == "edge");
  CHECK(upgrade_settings(merged_config({{"c.yaml", "hostname: n1\n"}})).url.empty());
}

TEST_CASE("auto_apply is off unless set, with any time as its window and one node at a time") {
  UpgradeSettings s = upgrade_settings(merged_config({{"c.yaml", "hostname: n1\n"}}));
  CHECK_FALSE(s.auto_apply);
  CHECK(s.maintenance_window.empty());
  CHECK(s.max_unavailable == 1);
  s = upgrade_settings(merged_config(
      {{"c.yaml", "maculaos:\n  upgrade: {auto_apply: true, maintenance_window: 'Sun 02:00-04:00', max_unavailable: 3}\n"}}));
  CHECK(s.auto_apply);
  CHECK(s.maintenance_window == "Sun 02:00-04:00");
  CHECK(s.max_unavailable == 3);
}

TEST_CASE("upgrade settings: config.d over config.yaml, the command line over both") {
  const std::vector<ConfigText> texts = {
      {"/var/lib/maculaos/config.yaml", "maculaos: {upgrade: {url: 'https://a.example', channel: beta}}\n"},
      {"/var/lib/maculaos/config.d/50-fleet.yaml", "maculaos: {upgrade: {url: 'https://fleet.example/os'}}\n"}};
  UpgradeSettings s = upgrade_settings(merged_config(texts));
  CHECK(s.url == "https://fleet.example/os");
  CHECK(s.channel == "beta");
  s = upgrade_settings(merged_config(texts, {{"maculaos.upgrade.url", "https://cmdline.example"}}));
  CHECK(s.url == "https://cmdline.example");
}

TEST_CASE("maculaos.boot.watchdog: seconds from 0 to an hour, unset when absent or refused") {
  using namespace std::chrono_literals;
  CHECK(boot_settings(merged_config({{"c.yaml", "maculaos:\n  boot:\n    watchdog: 120\n"}})).watchdog == 120s);
  CHECK(boot_settings(merged_config({{"c.yaml", "maculaos:\n  boot: {watchdog: 0}\n"}})).watchdog == 0s);
  CHECK_FALSE(boot_settings(merged_config({{"c.yaml", "hostname: n1\n"}})).watchdog);
  // a source whose watchdog the schema refuses is left out: the one before stands
  const MergedConfig bad = merge_config_sources(
      std::vector<ConfigText>{{"a.yaml", "maculaos: {boot: {watchdog: 90}}\n"}, {"c.yaml", "maculaos:\n  boot:\n    watchdog: ten\n"}}, {});
  CHECK(boot_settings(bad.tree).watchdog == 90s);
  REQUIRE(bad.issues.size() == 1);
  CHECK(bad.issues[0].str() == "c.yaml:3:15: maculaos.boot.watchdog: \"ten\": expected whole seconds from 0 (off) to 3600");
}

TEST_CASE("maculaos.live: persistence, its device and size, checked by the schema") {
  LiveSettings on = live_settings(merged_config(
      {{"c.yaml", "maculaos:\n  live: {persistence: true, persistence_device: auto, persistence_size: 50%}\n"}}));
  CHECK(on.persistence);
  CHECK(on.persistence_device == "auto");
  CHECK(on.persistence_size == "50%");
  LiveSettings off = live_settings(merged_config({{"c.yaml", "hostname: n1\n"}}));
  CHECK_FALSE(off.persistence);
  CHECK(off.persistence_device.empty());
  const MergedConfig bad = merge_config_sources(
      std::vector<ConfigText>{{"c.yaml", "maculaos:\n  live: {persistence: true, persistence_device: sdb}\n"}}, {});
  CHECK_FALSE(live_settings(bad.tree).persistence);
  REQUIRE(bad.issues.size() == 1);
  CHECK(bad.issues[0].str().find("maculaos.live.persistence_device") != std::string::npos);
  // the command line sets it too
  CHECK(live_settings(merged_config({}, {{"maculaos.live.persistence", "true"}})).persistence);
}

}  // namespace macula
