#include "config/config_normalize.h"

#include <catch2/catch.hpp>

#include "config/config_sources.h"

namespace macula {
namespace {

ConfigNode parsed(std::string_view yaml) {
  auto tree = parse_config(yaml, "c.yaml");
  REQUIRE(tree);
  return std::move(*tree);
}

TEST_CASE("k3os: is read as maculaos: with one warning at it") {
  ConfigNode t = parsed("hostname: n1\nk3os:\n  dns_nameservers: [1.1.1.1]\n  password: $6$rounds=5000$salt$hashhash\n");
  const std::vector<ConfigIssue> issues = normalize_and_validate(t);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].str() == "c.yaml:3:3: warning: k3os: read as maculaos: (k3OS's name for it)");
  CHECK_FALSE(t.find("k3os"));
  CHECK(config_texts(t, "maculaos.dns_nameservers") == std::vector<std::string>{"1.1.1.1"});
  CHECK(config_text(t, "maculaos.password") == "$6$rounds=5000$salt$hashhash");
}

TEST_CASE("with both k3os: and maculaos:, they merge and maculaos: wins key by key, which the warning says") {
  ConfigNode t = parsed("maculaos:\n  timezone: UTC\n  mesh: {realm: io.example}\n"
                        "k3os:\n  timezone: Europe/Berlin\n  keyboard: de\n  mesh: {tls_mode: development, realm: io.k3os}\n");
  const std::vector<ConfigIssue> issues = normalize_and_validate(t);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].str() == "c.yaml:5:3: warning: k3os: read as maculaos: (k3OS's name for it); where both set a key, maculaos: wins");
  REQUIRE(t.pairs.size() == 1);
  CHECK(config_text(t, "maculaos.timezone") == "UTC");
  CHECK(config_text(t, "maculaos.keyboard") == "de");
  CHECK(config_text(t, "maculaos.mesh.realm") == "io.example");
  CHECK(config_text(t, "maculaos.mesh.tls_mode") == "development");
}

TEST_CASE("a k3os: that is not a mapping is left for the schema to name") {
  ConfigNode t = parsed("k3os: yes\n");
  const std::vector<ConfigIssue> issues = normalize_and_validate(t);
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].str() == "c.yaml:1:7: warning: k3os: unknown key, ignored");
}

TEST_CASE("one value where a list of values is expected is a list of that value") {
  ConfigNode t = parsed("ssh_authorized_keys: github:octocat\nrun_cmd: echo hi\nmaculaos:\n  dns_nameservers: 1.1.1.1\n"
                        "  network: {interfaces: {eth0: {address: 10.0.0.2/24, dns: 10.0.0.1}}}\n"
                        "  timezone: UTC\nwrite_files: {path: /etc/x}\n");
  const std::vector<ConfigIssue> issues = normalize_and_validate(t);
  REQUIRE(issues.size() == 1);  // a mapping where a list of mappings is expected is no one value
  CHECK(issues[0].str() == "c.yaml:7:14: write_files: expected a list of mappings");
  CHECK(config_texts(t, "ssh_authorized_keys") == std::vector<std::string>{"github:octocat"});
  CHECK(config_texts(t, "run_cmd") == std::vector<std::string>{"echo hi"});
  const ConfigNode* dns = config_at(t, "maculaos.dns_nameservers");
  REQUIRE(dns->is_sequence());
  CHECK(dns->mark.str() == "c.yaml:4:20");
  CHECK(config_texts(t, "maculaos.network.interfaces.eth0.dns") == std::vector<std::string>{"10.0.0.1"});
  CHECK(config_text(t, "maculaos.timezone") == "UTC");
}

TEST_CASE("the command line's one value for a list, and its colon spelling for a dotted name, merge clean") {
  const std::vector<CmdlineParam> cmdline = {{"maculaos.dns_nameservers", "1.1.1.1"},
                                             {"maculaos.sysctl:net.ipv4.ip_forward", "1"}};
  const MergedConfig m = merge_config_sources({}, cmdline);
  for (const ConfigIssue& i : m.issues) UNSCOPED_INFO(i.str());
  CHECK(m.issues.empty());
  CHECK(config_texts(m.tree, "maculaos.dns_nameservers") == std::vector<std::string>{"1.1.1.1"});
  CHECK(config_at(m.tree, "maculaos.sysctl")->find("net.ipv4.ip_forward")->text == "1");
}

TEST_CASE("a k3OS file among the sources merges as maculaos:") {
  const std::vector<ConfigText> texts = {{"/var/lib/maculaos/config.yaml", "k3os:\n  ntp_servers: pool.ntp.org\n"}};
  const MergedConfig m = merge_config_sources(texts, {});
  REQUIRE(m.issues.size() == 1);
  CHECK(m.issues[0].str() == "/var/lib/maculaos/config.yaml:2:3: warning: k3os: read as maculaos: (k3OS's name for it)");
  CHECK(config_texts(m.tree, "maculaos.ntp_servers") == std::vector<std::string>{"pool.ntp.org"});
}

}  // namespace
}  // namespace macula
