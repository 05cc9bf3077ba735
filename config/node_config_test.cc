#include "config/node_config.h"

#include <catch2/catch.hpp>

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

TEST_CASE("upgrade settings come from maculaos.upgrade, channel stable by default") {
  auto s = upgrade_settings("maculaos:\n  upgrade:\n    url: http://rel.example/os/\n", "c.yaml");
  REQUIRE(s);
  CHECK(s->url == "http://rel.example/os");
  CHECK(s->channel == "stable");
  s = upgrade_settings("hostname: n1\nmaculaos:\n  upgrade: {url: 'https://r', channel: edge}\n", "c.yaml");
  REQUIRE(s);
  CHECK(s->channel == "edge");
  s = upgrade_settings("hostname: n1\n", "c.yaml");
  REQUIRE(s);
  CHECK(s->url.empty());
  auto bad = upgrade_settings("maculaos: [\n", "c.yaml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("c.yaml:") == 0);
  // Keys appended after an empty flow mapping are not silently dropped.
  auto appended = upgrade_settings("{}\nmaculaos:\n  upgrade:\n    url: http://r\n", "c.yaml");
  REQUIRE_FALSE(appended);
  CHECK(appended.error().message.find("c.yaml:2:") == 0);
  auto two = upgrade_settings("hostname: a\n---\nhostname: b\n", "c.yaml");
  REQUIRE_FALSE(two);
  CHECK(two.error().message == "c.yaml:3:1: a second YAML document: expected one mapping");
}

TEST_CASE("maculaos.boot.watchdog: seconds from 0 to an hour, unset when absent") {
  using namespace std::chrono_literals;
  CHECK(boot_settings("maculaos:\n  boot:\n    watchdog: 120\n", "c.yaml")->watchdog == 120s);
  CHECK(boot_settings("maculaos:\n  boot: {watchdog: 0}\n", "c.yaml")->watchdog == 0s);
  CHECK_FALSE(boot_settings("hostname: n1\n", "c.yaml")->watchdog);
  auto bad = boot_settings("maculaos:\n  boot:\n    watchdog: ten\n", "c.yaml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "c.yaml:3:15: maculaos.boot.watchdog: \"ten\": expected whole seconds from 0 (off) to 3600");
}

TEST_CASE("maculaos.live: persistence, its device and size, checked by the schema") {
  auto on = live_settings("maculaos:\n  live: {persistence: true, persistence_device: auto, persistence_size: 50%}\n", "c.yaml");
  REQUIRE(on);
  CHECK(on->persistence);
  CHECK(on->persistence_device == "auto");
  CHECK(on->persistence_size == "50%");
  auto off = live_settings("hostname: n1\n", "c.yaml");
  REQUIRE(off);
  CHECK_FALSE(off->persistence);
  CHECK(off->persistence_device.empty());
  auto bad = live_settings("maculaos:\n  live: {persistence: true, persistence_device: sdb}\n", "c.yaml");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("maculaos.live.persistence_device") != std::string::npos);
}

}  // namespace macula
