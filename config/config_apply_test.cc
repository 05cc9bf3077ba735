#include "config/config_apply.h"

#include <signal.h>

#include <catch2/catch.hpp>

#include "ab/grub_superuser.h"
#include "common/files.h"
#include "config/config_test_tree.h"
#include "tests/scratch_dir.h"

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
  CHECK(plan.not_fetched == std::vector<std::string>{"github:octocat"});
}

TEST_CASE("the boot stage gives GRUB a superuser when the config has its hash, and none without") {
  const std::string hash = "grub.pbkdf2.sha512.1000.A55F.E30F";
  const BootPlan plan = boot_plan(parsed("maculaos: {boot: {grub_password: " + hash + "}}\n"));
  REQUIRE(plan.grub_superuser);
  CHECK(*plan.grub_superuser == grub_superuser_cfg(hash));
  CHECK_FALSE(boot_plan(parsed("maculaos: {timezone: UTC}\n")).grub_superuser);
}

TEST_CASE("an installed node's plan retires the image's password: locked with keys listed (fetched or not), else expired") {
  CHECK(boot_plan(parsed("hostname: edge-1\n"), {}, false, true).image_password == ImagePasswordStep::expire);
  CHECK(boot_plan(parsed("ssh_authorized_keys: [github:octocat]\n"), {}, false, true).image_password ==
        ImagePasswordStep::lock);
  CHECK(boot_plan(parsed("maculaos: {password: $6$s$h}\n"), {}, false, true).image_password == ImagePasswordStep::keep);
  CHECK(boot_plan(parsed("hostname: edge-1\n"), {}, false, false).image_password == ImagePasswordStep::keep);  // live
}

TEST_CASE("a github:USER entry is replaced by the keys fetched for USER, in the list's order") {
  const GithubKeys fetched = {{"octocat", {"ssh-ed25519 CCCC c", "ssh-ed25519 DDDD d"}}, {"other", {"ssh-rsa EEEE"}}};
  const BootPlan plan = boot_plan(parsed("ssh_authorized_keys: [ssh-ed25519 AAAA a, github:octocat, github:nobody, ssh-rsa BBBB b]\n"),
                                  fetched);
  REQUIRE(plan.ssh_keys);
  CHECK(*plan.ssh_keys == std::vector<std::string>{"ssh-ed25519 AAAA a", "ssh-ed25519 CCCC c", "ssh-ed25519 DDDD d", "ssh-rsa BBBB b"});
  CHECK(plan.not_fetched == std::vector<std::string>{"github:nobody"});
}

TEST_CASE("what the config does not set, the boot stage leaves alone: an empty key list empties the file") {
  const BootPlan none = boot_plan(parsed("maculaos: {timezone: UTC}\n"));
  CHECK_FALSE(none.hostname);
  CHECK_FALSE(none.password_hash);
  CHECK_FALSE(none.environment);
  CHECK(none.nameservers.empty());
  CHECK(none.files.empty());
  CHECK_FALSE(none.ssh_keys);
  const BootPlan empty = boot_plan(parsed("ssh_authorized_keys: []\n"));
  REQUIRE(empty.ssh_keys);
  CHECK(empty.ssh_keys->empty());
}

TEST_CASE("the boot stage plans every key it applies, in the config's order") {
  const BootPlan plan = boot_plan(parsed(
      "write_files:\n  - {path: /etc/a.conf, content: aGkK, encoding: b64, owner: 'macula:sudo', permissions: '0600'}\n"
      "  - {path: /etc/b.conf}\n"
      "boot_cmd: ['echo one', 'echo two']\nrun_cmd: ['echo three']\ninit_cmd: ['echo zero']\n"
      "maculaos:\n  modules: [dummy numdummies=2, loop]\n  sysctl: {vm.swappiness: '10', net.ipv4.ip_forward: '1'}\n"
      "  environment: {HTTP_PROXY: 'http://proxy:3128', A: b}\n  dns_nameservers: [10.0.0.53, 2001:db8::53]\n"
      "  timezone: Europe/Berlin\n"));
  REQUIRE(plan.files.size() == 2);
  CHECK((plan.files[0].path == "/etc/a.conf" && plan.files[0].content == "aGkK" && plan.files[0].encoding == "b64" &&
         plan.files[0].owner == "macula:sudo" && plan.files[0].permissions == "0600"));
  CHECK((plan.files[1].owner == "root" && plan.files[1].permissions == "0644" && plan.files[1].content.empty()));
  CHECK(plan.modules == std::vector<std::string>{"dummy numdummies=2", "loop"});
  CHECK(plan.sysctl == std::vector<std::pair<std::string, std::string>>{{"vm.swappiness", "10"}, {"net.ipv4.ip_forward", "1"}});
  CHECK(plan.environment == "HTTP_PROXY=http://proxy:3128\nA=b\n");
  CHECK(plan.nameservers == std::vector<std::string>{"10.0.0.53", "2001:db8::53"});
  CHECK(plan.timezone == "Europe/Berlin");
  CHECK(plan.boot_cmds == std::vector<std::string>{"echo one", "echo two"});
  const ConfigNode config = parsed("init_cmd: [a]\nboot_cmd: [b]\nrun_cmd: [c, d]\n");
  CHECK(stage_commands(config, ConfigStage::init) == std::vector<std::string>{"a"});
  CHECK(stage_commands(config, ConfigStage::run) == std::vector<std::string>{"c", "d"});
}

TEST_CASE("stage commands run in order: one that fails is named, and the next still runs") {
  const std::vector<std::string> commands = {"exit 3", "true"};
  const std::vector<Error> errors = run_stage_commands(commands, "run_cmd");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].text().starts_with("run_cmd[0]"));
}

TEST_CASE("a stage command that fails is named by its place and exit status, never by its text") {
  const std::vector<std::string> commands = {"true", "true", "echo password=hunter2 >&2; exit 1 # token=s3cret"};
  const std::vector<Error> errors = run_stage_commands(commands, "boot_cmd");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].text() == "boot_cmd[2] failed: exit 1");
}

TEST_CASE("a stage command that leaves a daemon in the background is done when it exits") {
  const ScratchDir dir("stage-daemon");
  const std::string pid_file = (dir.path / "daemon.pid").string();
  const std::vector<std::string> commands = {"sleep 600 & echo $! > " + pid_file + "; echo hi"};
  CHECK(run_stage_commands(commands, "run_cmd").empty());
  const std::string pid = read_file(pid_file).value_or("");
  REQUIRE_FALSE(pid.empty());
  CHECK(::kill(std::stoi(pid), 0) == 0);  // it runs on
  ::kill(std::stoi(pid), SIGKILL);
}

TEST_CASE("a source with an error makes the last applied config stand in, whole") {
  const std::vector<ConfigText> texts = {{"/var/lib/maculaos/config.yaml", "hostname: new-name\n"},
                                         {"/var/lib/maculaos/config.d/bad.yaml", "maculaos: {password: plain}\n"}};
  const MergedConfig merged = merge_config_sources(texts, {});
  const ConfigNode applied = parsed("hostname: old-name\n", kAppliedConfigPath);
  const NodeConfig chosen = choose_config(merged, applied);
  CHECK(chosen.fallback);
  CHECK(config_text(chosen.config, "hostname") == "old-name");
  // no copy yet (the first boot): the sources without an error
  const NodeConfig first = choose_config(merged, std::nullopt);
  CHECK_FALSE(first.fallback);
  CHECK(config_text(first.config, "hostname") == "new-name");
  // no error: the merge, whatever the copy says
  const NodeConfig good = choose_config(merge_config_sources({texts.data(), 1}, {}), applied);
  CHECK_FALSE(good.fallback);
  CHECK(config_text(good.config, "hostname") == "new-name");
}

}  // namespace
}  // namespace macula
