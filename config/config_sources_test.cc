#include "config/config_sources.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("sources merge in order, the command line last: a source with an error is left out whole") {
  const std::vector<ConfigText> texts = {
      {"/usr/share/maculaos/config.yaml", "maculaos:\n  firewall: {enabled: true}\n  timezone: UTC\n"},
      {"/var/lib/maculaos/config.yaml", "hostname: n1\nmaculaos:\n  timezone: Europe/Berlin\n  keyboard: de\n"},
      {"/var/lib/maculaos/config.d/10-bad.yaml", "hostname: n2\nmaculaos: {locale: klingon}\n"},
      {"/var/lib/maculaos/config.d/20-broken.yaml", "hostname: [\n"},
      {"/var/lib/maculaos/config.d/30-typo.yaml", "hostnam: n3\n"},
  };
  const std::vector<CmdlineParam> cmdline = {{"maculaos.keyboard", "us"}};
  const MergedConfig m = merge_config_sources(texts, cmdline);
  CHECK(config_text(m.tree, "maculaos.firewall.enabled") == "true");
  CHECK(config_text(m.tree, "maculaos.timezone") == "Europe/Berlin");
  CHECK(config_at(m.tree, "maculaos.timezone")->mark.str() == "/var/lib/maculaos/config.yaml:3:13");
  CHECK(config_text(m.tree, "hostname") == "n1");  // 10-bad.yaml's n2 is not taken
  CHECK(config_text(m.tree, "maculaos.keyboard") == "us");
  REQUIRE(m.issues.size() == 3);
  CHECK_THAT(m.issues[0].str(), Catch::StartsWith("/var/lib/maculaos/config.d/10-bad.yaml:2:20: maculaos.locale"));
  CHECK_THAT(m.issues[1].str(), Catch::StartsWith("/var/lib/maculaos/config.d/20-broken.yaml:"));
  CHECK(m.issues[2].severity == ConfigIssue::Severity::warning);
  CHECK(has_errors(m.issues));
}

TEST_CASE("a bad value on the command line is left out like a bad file") {
  const std::vector<CmdlineParam> cmdline = {{"maculaos.timezone", "Mars/Olympus Mons"}};
  const MergedConfig m = merge_config_sources({}, cmdline);
  CHECK_FALSE(config_at(m.tree, "maculaos.timezone"));
  REQUIRE(m.issues.size() == 1);
  CHECK_THAT(m.issues[0].str(), Catch::StartsWith("kernel command line: maculaos.timezone: "));
}

TEST_CASE("a config URL that is not https is an error of the command line") {
  const std::vector<CmdlineParam> cmdline = {{"macula.config_url", "http://10.0.0.1/node.yaml"}, {"maculaos.keyboard", "de"}};
  const MergedConfig m = merge_config_sources({}, cmdline);
  REQUIRE(m.issues.size() == 1);
  CHECK(m.issues[0].str() ==
        "kernel command line: macula.config_url=http://10.0.0.1/node.yaml: expected an https:// URL (the config is "
        "trusted only over verified TLS)");
  CHECK(has_errors(m.issues));
  CHECK(config_text(m.tree, "maculaos.keyboard") == "de");
}

}  // namespace
}  // namespace macula
