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
      "#cloud-config\nhostname: vm-8\nruncmd:\n  - echo one\n  - [touch, \"/tmp/it's here\"]\nbootcmd: [date]\n"));
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
  CHECK(merged.issues[0].str() == "/run/macula/nocloud/user-data:3:11: warning: packages: unknown key, ignored");

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

}  // namespace
}  // namespace macula
