#include "config/remote_config.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("the config URL: the last one on the command line, https only") {
  const std::vector<CmdlineParam> two = {{"macula.config_url", "https://a.example/1.yaml"},
                                         {"macula.config_url", "https://b.example/2.yaml"}};
  auto url = config_url(two);
  REQUIRE(url);
  CHECK(*url == "https://b.example/2.yaml");
  auto none = config_url(std::vector<CmdlineParam>{{"quiet", std::nullopt}});
  REQUIRE(none);
  CHECK_FALSE(*none);
  for (const char* bad : {"http://a.example/c.yaml", "/var/lib/c.yaml", "ftp://a/c", ""}) {
    auto refused = config_url(std::vector<CmdlineParam>{{"macula.config_url", bad}});
    REQUIRE_FALSE(refused);
    CHECK_THAT(refused.error().message, Catch::Contains("expected an https:// URL"));
  }
}

TEST_CASE("each URL has its own copy, in the cache directory") {
  const std::string a = config_url_cache_path("https://a.example/c.yaml");
  CHECK_THAT(a, Catch::StartsWith(std::string(kRemoteCacheDir) + "/config-url-"));
  CHECK_THAT(a, Catch::EndsWith(".yaml"));
  CHECK(a == config_url_cache_path("https://a.example/c.yaml"));
  CHECK(a != config_url_cache_path("https://a.example/d.yaml"));
}

TEST_CASE("github:USER entries name the users whose keys are fetched from GitHub") {
  const ConfigNode config = parsed("ssh_authorized_keys: [ssh-ed25519 AAAA a, github:octocat, github:a-b]\n");
  CHECK(github_users(config) == std::vector<std::string>{"octocat", "a-b"});
  CHECK(github_users(parsed("hostname: a\n")).empty());
  CHECK(github_keys_url("octocat") == "https://github.com/octocat.keys");
  CHECK(github_keys_cache_path("octocat") == std::string(kRemoteCacheDir) + "/github-octocat.keys");
}

TEST_CASE("GitHub's USER.keys: one key a line, and nothing else") {
  auto keys = parse_github_keys("ssh-ed25519 AAAAC3Nza\r\nssh-rsa AAAAB3Nza\n\n", "octocat");
  REQUIRE(keys);
  CHECK(*keys == std::vector<std::string>{"ssh-ed25519 AAAAC3Nza", "ssh-rsa AAAAB3Nza"});
  auto none = parse_github_keys("", "octocat");
  REQUIRE(none);
  CHECK(none->empty());
  auto page = parse_github_keys("ssh-ed25519 AAAA\n<html><body>Sign in to the Wi-Fi</body></html>\n", "octocat");
  REQUIRE_FALSE(page);
  CHECK(page.error().message ==
        "github:octocat: line 2 of https://github.com/octocat.keys is not a public key (expected one key a line: "
        "ssh-ed25519 AAAA...)");
  CHECK_FALSE(parse_github_keys("github:someone-else\n", "octocat"));
}

TEST_CASE("a fetched config must parse and validate, and warnings do not refuse it") {
  CHECK(check_remote_config("hostname: edge-1\nunknown_key: 1\n", "https://c.example/n.yaml"));
  auto bad = check_remote_config("hostname: bad_name\n", "https://c.example/n.yaml");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::StartsWith("https://c.example/n.yaml:1:11: hostname: "));
  auto broken = check_remote_config("hostname: [\n", "https://c.example/n.yaml");
  REQUIRE_FALSE(broken);
  CHECK_THAT(broken.error().message, Catch::StartsWith("https://c.example/n.yaml:"));
}

}  // namespace
}  // namespace macula
