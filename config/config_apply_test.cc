#include "config/config_apply.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

TEST_CASE("the boot stage takes the name, the password hash and the literal keys") {
  const BootPlan plan = boot_plan(parsed(
      "hostname: edge-1\nssh_authorized_keys: [ssh-ed25519 AAAA a, github:octocat, ssh-rsa BBBB b]\n"
      "maculaos: {password: $6$s$h}\n"));
  CHECK(plan.hostname == "edge-1");
  CHECK(plan.password_hash == "$6$s$h");
  REQUIRE(plan.ssh_keys);
  CHECK(*plan.ssh_keys == std::vector<std::string>{"ssh-ed25519 AAAA a", "ssh-rsa BBBB b"});
  CHECK(plan.later == std::vector<std::string>{"ssh_authorized_keys: github:octocat"});
}

TEST_CASE("what the config does not set, the boot stage leaves alone; an empty key list empties the file") {
  const BootPlan none = boot_plan(parsed("maculaos: {timezone: UTC}\n"));
  CHECK_FALSE(none.hostname);
  CHECK_FALSE(none.password_hash);
  CHECK_FALSE(none.ssh_keys);
  const BootPlan empty = boot_plan(parsed("ssh_authorized_keys: []\n"));
  REQUIRE(empty.ssh_keys);
  CHECK(empty.ssh_keys->empty());
}

TEST_CASE("a source with an error makes the last applied config stand in, whole") {
  const std::vector<ConfigText> texts = {{"/var/lib/maculaos/config.yaml", "hostname: new-name\n"},
                                         {"/var/lib/maculaos/config.d/bad.yaml", "maculaos: {password: plain}\n"}};
  const MergedConfig merged = merge_config_sources(texts, {});
  const ConfigNode applied = parsed("hostname: old-name\n", kAppliedConfigPath);
  const ChosenConfig chosen = choose_config(merged, applied);
  CHECK(chosen.fallback);
  CHECK(config_text(chosen.config, "hostname") == "old-name");
  // no copy yet (the first boot): the sources without an error
  const ChosenConfig first = choose_config(merged, std::nullopt);
  CHECK_FALSE(first.fallback);
  CHECK(config_text(first.config, "hostname") == "new-name");
  // no error: the merge, whatever the copy says
  const ChosenConfig good = choose_config(merge_config_sources({texts.data(), 1}, {}), applied);
  CHECK_FALSE(good.fallback);
  CHECK(config_text(good.config, "hostname") == "new-name");
}

}  // namespace
}  // namespace macula
