#include "config/config_schema.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

std::vector<ConfigIssue> issues_of(std::string_view yaml) {
  auto tree = parse_config(yaml, "c.yaml");
  REQUIRE(tree);
  return validate_config(*tree);
}

// The issue lines of one config, errors and warnings.
std::vector<std::string> lines_of(std::string_view yaml) {
  std::vector<std::string> out;
  for (const ConfigIssue& i : issues_of(yaml)) out.push_back(i.str());
  return out;
}

TEST_CASE("a config that sets every key right has no issue") {
  const auto issues = issues_of(R"(hostname: edge-1
ssh_authorized_keys:
  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG macula@laptop
  - github:octocat
write_files:
  - path: /etc/motd.d/hello
    content: aGVsbG8K
    encoding: b64
    owner: root:root
    permissions: '0644'
init_cmd: [echo init]
boot_cmd: [echo boot]
run_cmd: [echo run]
maculaos:
  password: $6$rounds=5000$salt$hashhash
  modules: [kvm, nf_conntrack hashsize=4096]
  sysctl: {net.ipv4.ip_forward: '1', kernel/printk: '4'}
  dns_nameservers: [1.1.1.1, 2606:4700::1111]
  ntp_servers: [pool.ntp.org, 192.168.1.1]
  environment: {HTTP_PROXY: http://proxy:3128}
  labels: {topology.kubernetes.io/zone: lab, role: edge}
  taints: [dedicated=edge:NoSchedule, gpu:NoExecute]
  k3s_args: [--disable=traefik]
  server_url: https://10.0.0.1:6443
  token: K10abc::server:secret
  node_name: edge-1.lab
  data_sources: [nocloud]
  keyboard: de
  timezone: Europe/Berlin
  locale: en_US.UTF-8
  network:
    interfaces:
      eth0: {dhcp: false, address: 192.168.1.10/24, gateway: 192.168.1.1, dns: [192.168.1.1]}
      eth1: {dhcp: true}
  mesh:
    roles: {bootstrap: true, gateway: false}
    bootstrap_peers: [https://boot.macula.io]
    realm: io.macula
    tls_mode: production
  firewall: {enabled: true, allow: [8080/tcp, 60000-61000/udp]}
  live: {persistence: true, persistence_device: LABEL=MACULAOS_STATE, persistence_size: 8G}
  upgrade: {url: http://10.0.2.100, channel: stable}
  boot: {watchdog: 600, grub_password: grub.pbkdf2.sha512.10000.A55F07DF93898213.E30FEC9BD0656252}
  setup:
    gitops: {url: https://git.example.org:8443/fleet/edge.git, branch: release/v1, path: ./clusters/edge-1}
k3s:
  args: [--disable=servicelb]
)");
  for (const ConfigIssue& i : issues) UNSCOPED_INFO(i.str());
  CHECK(issues.empty());
}

TEST_CASE("each key refuses a bad value, naming the place, the key and what was expected") {
  using Catch::Contains;
  using Catch::StartsWith;
  CHECK_THAT(lines_of("hostname: -bad-\n").at(0), StartsWith("c.yaml:1:11: hostname: \"-bad-\": expected a host name"));
  CHECK_THAT(lines_of("ssh_authorized_keys: [not a key]\n").at(0), StartsWith("c.yaml:1:23: ssh_authorized_keys[0]: "));
  CHECK_THAT(lines_of("write_files: [{content: x}]\n").at(0), Contains("write_files[0].path: missing"));
  CHECK_THAT(lines_of("write_files: [{path: etc/x}]\n").at(0), Contains("expected an absolute path"));
  CHECK_THAT(lines_of("write_files: [{path: /x, permissions: 'rw'}]\n").at(0), Contains("expected an octal mode"));
  CHECK_THAT(lines_of("write_files: [{path: /x, encoding: rot13}]\n").at(0), Contains("write_files[0].encoding"));
  CHECK_THAT(lines_of("run_cmd: echo hi\n").at(0), Contains("run_cmd: expected a list of values"));
  CHECK_THAT(lines_of("maculaos: {sysctl: {'bad name': '1'}}\n").at(0), Contains("expected a sysctl name"));
  CHECK_THAT(lines_of("maculaos: {dns_nameservers: [1.2.3]}\n").at(0), Contains("expected an IPv4 or IPv6 address"));
  CHECK_THAT(lines_of("maculaos: {taints: [gpu:Sometimes]}\n").at(0), Contains("EFFECT one of"));
  CHECK_THAT(lines_of("maculaos: {server_url: http://k3s:6443}\n").at(0), Contains("expected an https:// URL"));
  CHECK_THAT(lines_of("maculaos: {timezone: ../../etc/passwd}\n").at(0), Contains("expected a tz database name"));
  CHECK_THAT(lines_of("maculaos: {locale: english}\n").at(0), Contains("expected a locale"));
  CHECK_THAT(lines_of("maculaos: {keyboard: 'de; rm'}\n").at(0), Contains("expected a console keymap"));
  CHECK_THAT(lines_of("maculaos: {network: {interfaces: {eth0: {address: 10.0.0.1}}}}\n").at(0),
             Contains("maculaos.network.interfaces.eth0.address") && Contains("prefix length"));
  CHECK_THAT(lines_of("maculaos: {mesh: {roles: {gateway: maybe}}}\n").at(0), Contains("expected true or false"));
  CHECK_THAT(lines_of("maculaos: {mesh: {tls_mode: lax}}\n").at(0), Contains("expected development or production"));
  CHECK_THAT(lines_of("maculaos: {mesh: {realm: macula}}\n").at(0), Contains("expected a reverse-DNS name"));
  CHECK_THAT(lines_of("maculaos: {firewall: {allow: [70000/tcp]}}\n").at(0), Contains("ports 1 to 65535"));
  CHECK_THAT(lines_of("maculaos: {firewall: {allow: [22/icmp]}}\n").at(0), Contains("expected PORT/tcp"));
  CHECK_THAT(lines_of("maculaos: {live: {persistence_size: lots}}\n").at(0), Contains("expected a size"));
  CHECK_THAT(lines_of("maculaos: {upgrade: {url: ftp://x}}\n").at(0), Contains("expected an http:// or https:// URL"));
  CHECK_THAT(lines_of("maculaos: {upgrade: {url: github://macula-io}}\n").at(0), Contains("expected github://OWNER/REPO"));
  CHECK(lines_of("maculaos: {upgrade: {url: github://macula-io/macula-os}}\n").empty());
  CHECK_THAT(lines_of("maculaos: {boot: {watchdog: 7200}}\n").at(0), Contains("from 0 (off) to 3600"));
  CHECK_THAT(lines_of("maculaos: {boot: {grub_password: hunter2}}\n").at(0),
             Contains("expected GRUB's PBKDF2 hash") && !Contains("hunter2"));
  CHECK_THAT(lines_of("maculaos: {data_sources: [aws]}\n").at(0), Contains("expected nocloud"));
  CHECK_THAT(lines_of("maculaos: {setup: {gitops: {url: git://10.0.0.1/fleet}}}\n").at(0),
             Contains("maculaos.setup.gitops.url") && Contains("expected the https:// URL of a Git repository"));
  CHECK_THAT(lines_of("maculaos: {setup: {gitops: {url: 'https://x.org/a\\\"b'}}}\n").at(0), Contains("Git repository"));
  CHECK_THAT(lines_of("maculaos: {setup: {gitops: {branch: 'main..x'}}}\n").at(0), Contains("expected a Git branch name"));
  CHECK_THAT(lines_of("maculaos: {setup: {gitops: {branch: -f}}}\n").at(0), Contains("expected a Git branch name"));
  CHECK_THAT(lines_of("maculaos: {setup: {gitops: {path: ../../etc}}}\n").at(0), Contains("(no ..)"));
  CHECK_THAT(lines_of("maculaos: {setup: {gitops: {path: 'a b'}}}\n").at(0), Contains("expected a path inside the repository"));
  CHECK_THAT(lines_of("maculaos: {portal: {url: http://portal.example.org}}\n").at(0), Contains("expected an https:// URL"));
  // setup's source: a server, TLS verified, or a directory on the node (air-gapped)
  CHECK(lines_of("maculaos: {setup: {source: /var/lib/maculaos/k3s-releases}}\n").empty());
  CHECK(lines_of("maculaos: {setup: {source: 'https://mirror.example.org/gh'}}\n").empty());
  for (const char* source : {"http://mirror.example.org", "k3s-releases", "/"})
    CHECK_THAT(lines_of(std::string("maculaos: {setup: {source: '") + source + "'}}\n").at(0),
               Contains("expected an https:// URL or an absolute directory"));
  CHECK_THAT(lines_of("maculaos: {portal: {signing_key: c2hvcnQ=}}\n").at(0), Contains("32-byte Ed25519 public key"));
  CHECK(lines_of("maculaos: {portal: {signing_key: 'O2onvM62pC1io6jQKm8Nc2UyFXcd4kOmOsBIoYtZ2ik='}}\n").empty());
  CHECK_THAT(lines_of("maculaos: []\n").at(0), Contains("maculaos: expected a mapping"));
}

TEST_CASE("a secret's value is never quoted back") {
  const auto plain = lines_of("maculaos:\n  password: correct-horse\n  token: ''\n");
  REQUIRE(plain.size() == 2);
  CHECK_THAT(plain[0], Catch::StartsWith("c.yaml:2:13: maculaos.password: expected a crypt(3) hash"));
  CHECK_THAT(plain[0], !Catch::Contains("correct-horse"));
  CHECK_THAT(plain[1], Catch::Contains("maculaos.token: expected a value"));
}

TEST_CASE("show hides the password hash and the token, and nothing else") {
  auto tree = parse_config("hostname: n1\nmaculaos:\n  password: $6$s$h\n  token: K10secret\n  timezone: UTC\n", "c.yaml");
  REQUIRE(tree);
  const ConfigNode shown = without_secrets(*tree);
  CHECK(config_text(shown, "maculaos.password") == "(set)");
  CHECK(config_text(shown, "maculaos.token") == "(set)");
  CHECK(config_text(shown, "maculaos.timezone") == "UTC");
  CHECK(config_text(shown, "hostname") == "n1");
}

TEST_CASE("an unknown key is a warning naming it, its line and the nearest known key") {
  const auto issues = issues_of("hostname: a\nhostnme: b\nflavour: x\nmaculaos:\n  mesh: {rolez: {}}\n  write_files: []\n");
  REQUIRE(issues.size() == 4);
  CHECK_FALSE(has_errors(issues));
  CHECK(issues[0].str() == "c.yaml:2:10: warning: hostnme: unknown key, ignored (did you mean hostname?)");
  CHECK(issues[1].str() == "c.yaml:3:10: warning: flavour: unknown key, ignored");
  CHECK(issues[2].str() == "c.yaml:5:17: warning: maculaos.mesh.rolez: unknown key, ignored (did you mean roles?)");
  // the nearest key of the same mapping: write_files is a top-level key, not one of maculaos:
  CHECK(issues[3].str() == "c.yaml:6:16: warning: maculaos.write_files: unknown key, ignored");
}

TEST_CASE("a value of the wrong shape is an error whatever the key") {
  const auto issues = issues_of("hostname: [a]\nssh_authorized_keys: {a: b}\nwrite_files: [x]\n");
  REQUIRE(issues.size() == 3);
  CHECK(has_errors(issues));
  CHECK_THAT(issues[0].str(), Catch::EndsWith("hostname: expected a single value"));
  CHECK_THAT(issues[1].str(), Catch::EndsWith("ssh_authorized_keys: expected a list of values"));
  CHECK_THAT(issues[2].str(), Catch::EndsWith("write_files[0]: expected a mapping"));
}

TEST_CASE("a value too long for any right one is refused, not matched") {
  const std::string key = "ssh-ed25519 " + std::string(100000, 'A');
  const auto issues = issues_of("ssh_authorized_keys: ['" + key + "']\n");
  REQUIRE(issues.size() == 1);
  CHECK(has_errors(issues));
}

}  // namespace
}  // namespace macula
