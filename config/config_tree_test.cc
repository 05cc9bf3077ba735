#include "config/config_tree.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("every value keeps its file, line and column") {
  const ConfigNode t = parsed("hostname: n1\nmaculaos:\n  upgrade:\n    url: https://r\n  taints: [a:NoSchedule]\n");
  CHECK(config_text(t, "hostname") == "n1");
  CHECK(config_at(t, "maculaos.upgrade.url")->mark.str() == "c.yaml:4:10");
  CHECK(config_at(t, "maculaos.taints")->items.at(0).mark.str() == "c.yaml:5:12");
  CHECK_FALSE(config_at(t, "maculaos.upgrade.channel"));
  CHECK_FALSE(config_text(t, "maculaos.upgrade"));  // a mapping, not a scalar
  CHECK_FALSE(config_at(t, "hostname.more"));
}

TEST_CASE("a document that expands past any config's size is refused, not built") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c)
    bomb += std::string(1, c) + ": &" + c + " [*" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) +
            ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + ", *" +
            char(c - 1) + ", *" + char(c - 1) + ", *" + char(c - 1) + "]\n";
  auto tree = parse_config(bomb, "bomb.yaml");
  REQUIRE_FALSE(tree);
  CHECK_THAT(tree.error().message, Catch::Contains("expands past"));
}

TEST_CASE("one long value aliased many times is refused by the bytes it expands to, under any node count") {
  // 512 KiB anchored once and aliased 40 times: 41 values, 20 MiB of text once built
  std::string doc = "long: &l " + std::string(512 * 1024, 'x') + "\nmany: [";
  for (int i = 0; i < 40; ++i) doc += "*l, ";
  doc += "*l]\n";
  auto tree = parse_config(doc, "wide.yaml");
  REQUIRE_FALSE(tree);
  CHECK_THAT(tree.error().message, Catch::StartsWith("wide.yaml:") && Catch::Contains("MiB of text"));
  // the same value aliased a few times is a config like any other
  std::string few = "long: &l " + std::string(512 * 1024, 'x') + "\nmany: [*l, *l]\n";
  auto ok = parse_config(few, "few.yaml");
  REQUIRE(ok);
  CHECK(config_at(*ok, "many")->items.at(1).text.size() == 512 * 1024);
}

TEST_CASE("later sources merge per key into mappings: lists and scalars are replaced whole") {
  ConfigNode t = parsed("hostname: a\nssh_authorized_keys: [k1, k2]\nmaculaos:\n  labels: {x: '1'}\n  firewall: {enabled: true}\n", "one");
  merge_config(t, parsed("ssh_authorized_keys: [k3]\nmaculaos:\n  labels: {y: '2'}\n  firewall: off\n", "two"));
  CHECK(config_text(t, "hostname") == "a");
  REQUIRE(config_at(t, "ssh_authorized_keys")->items.size() == 1);
  CHECK(config_at(t, "ssh_authorized_keys")->items[0].text == "k3");
  CHECK(config_text(t, "maculaos.labels.x") == "1");
  CHECK(config_text(t, "maculaos.labels.y") == "2");
  CHECK(config_at(t, "maculaos.labels.y")->mark.source == "two");
  CHECK(config_text(t, "maculaos.firewall") == "off");  // a scalar replaces the mapping
}

TEST_CASE("maculaos.KEY=VALUE words nest by dots: bare is true: a repeated key is a list") {
  const std::vector<CmdlineParam> params = {
      {"quiet", std::nullopt},         {"macula.mode", "disk"},
      {"maculaos.mesh.roles.gateway", std::nullopt}, {"maculaos.dns_nameservers", "1.1.1.1"},
      {"maculaos.dns_nameservers", "9.9.9.9"},       {"maculaos.timezone", "Europe/Berlin"},
      {"maculaos.", "x"}};
  const ConfigNode t = cmdline_config(params);
  REQUIRE(t.pairs.size() == 1);
  CHECK(config_text(t, "maculaos.mesh.roles.gateway") == "true");
  CHECK(config_text(t, "maculaos.timezone") == "Europe/Berlin");
  const ConfigNode* dns = config_at(t, "maculaos.dns_nameservers");
  REQUIRE(dns->is_sequence());
  CHECK(dns->items.size() == 2);
  CHECK(dns->items[1].text == "9.9.9.9");
  CHECK(dns->mark.str() == "kernel command line");
}

TEST_CASE("after a colon, a command-line key's rest is one name, dots and all") {
  const std::vector<CmdlineParam> params = {{"maculaos.sysctl:net.ipv4.ip_forward", "1"},
                                            {"maculaos.labels:topology.kubernetes.io/zone", "lab"},
                                            {"maculaos.sysctl:kernel.printk", "4 4 1 7"}};
  const ConfigNode t = cmdline_config(params);
  const ConfigNode* sysctl = config_at(t, "maculaos.sysctl");
  REQUIRE(sysctl);
  REQUIRE(sysctl->pairs.size() == 2);
  CHECK(sysctl->pairs[0].first == "net.ipv4.ip_forward");
  CHECK(sysctl->pairs[0].second.text == "1");
  CHECK(sysctl->pairs[1].first == "kernel.printk");
  CHECK(config_at(t, "maculaos.labels")->find("topology.kubernetes.io/zone")->text == "lab");
  CHECK_FALSE(config_at(t, "maculaos.sysctl.net"));
}

TEST_CASE("the tree prints back as YAML that parses to the same values, and as JSON") {
  const ConfigNode t = parsed("hostname: \"n: 1\"\nrun_cmd:\n  - echo 'hi'\nmaculaos:\n  labels: {}\n");
  const std::string yaml = config_yaml(t, true);
  CHECK_THAT(yaml, Catch::Contains("hostname: \"n: 1\"  # c.yaml:1:11"));
  const ConfigNode again = parsed(config_yaml(t, false));
  CHECK(config_text(again, "hostname") == "n: 1");
  CHECK(config_at(again, "run_cmd")->items.at(0).text == "echo 'hi'");
  CHECK(config_at(again, "maculaos.labels")->is_mapping());
  const std::string json = config_json(t, true);
  CHECK_THAT(json, Catch::Contains("\"hostname\": \"n: 1\"") && Catch::Contains("\"run_cmd\": [\n"));
  CHECK_THAT(json, Catch::Contains("\"maculaos.labels\": \"c.yaml:5:11\""));
}

}  // namespace
}  // namespace macula
