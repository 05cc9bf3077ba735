#include "config/users.h"

#include <catch2/catch.hpp>
#include <set>

#include "config/config_apply.h"
#include "config/config_schema.h"
#include "config/config_test_tree.h"

namespace macula {
namespace {

// The machine as UserSystem sees it: what exists, and each call in order.
class FakeUsers final : public UserSystem {
 public:
  std::set<std::string> users = {"root", "macula"}, groups = {"root", "sudo"};
  std::vector<std::string> calls;
  std::string failing;  // a call starting so fails

  bool user_exists(const std::string& name) override { return users.contains(name); }
  bool group_exists(const std::string& name) override { return groups.contains(name); }
  Result<void> run(const std::vector<std::string>& argv, const std::string& input) override {
    std::string call;
    for (const std::string& word : argv) call += (call.empty() ? "" : " ") + word;
    if (!input.empty()) call += " <<< " + input;
    return record(call);
  }
  Result<void> write_sudoers(const std::string& file_name, const std::string& text) override {
    return record("sudoers.d/" + file_name + ": " + text.substr(text.find('\n') + 1));
  }
  Result<void> write_authorized_keys(const std::string& user, const std::vector<std::string>& keys) override {
    return record("keys " + user + ": " + std::to_string(keys.size()));
  }

 private:
  Result<void> record(std::string call) {
    calls.push_back(call);
    if (!failing.empty() && call.starts_with(failing)) return fail("exit 1");
    return {};
  }
};

TEST_CASE("users: a new user is made with its groups, hash, lock, sudo rule and keys, in that order") {
  const ConfigNode config = parsed(
      "users:\n  - name: ada\n    groups: [sudo, ops]\n    shell: /bin/bash\n    passwd: $6$s$h\n    lock_passwd: false\n"
      "    sudo: ['ALL=(ALL) NOPASSWD:ALL']\n    ssh_authorized_keys: [ssh-ed25519 AAAA ada]\n");
  CHECK(validate_config(config).empty());
  FakeUsers fake;
  CHECK(apply_user_accounts(user_accounts(config), fake).empty());
  CHECK(fake.calls == std::vector<std::string>{
      "groupadd ops",
      "useradd --create-home --shell /bin/bash --groups sudo,ops ada",
      "chpasswd --encrypted <<< ada:$6$s$h\n",
      "sudoers.d/90-maculaos-ada: ada ALL=(ALL) NOPASSWD:ALL\n",
      "keys ada: 1"});
}

TEST_CASE("users: one that exists is changed (groups appended), and its password locked as cloud-init does by default") {
  FakeUsers fake;
  CHECK(apply_user_accounts(user_accounts(parsed("users: [{name: macula, groups: [sudo]}, {name: root}]\n")), fake).empty());
  CHECK(fake.calls == std::vector<std::string>{"usermod --append --groups sudo macula", "usermod --lock macula", "usermod --lock root"});
}

TEST_CASE("users: a user that cannot be made is named and skipped, the next one is made") {
  FakeUsers fake;
  fake.failing = "useradd --create-home bad";
  const std::vector<Error> errors = apply_user_accounts(user_accounts(parsed("users: [{name: bad}, {name: good, lock_passwd: false}]\n")), fake);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].text() == "users[0] bad: useradd: exit 1");
  CHECK(fake.calls == std::vector<std::string>{"useradd --create-home bad", "useradd --create-home good"});
}

TEST_CASE("users in the schema: names, shells, sudo rules and literal keys checked, the hash never quoted") {
  const std::vector<ConfigIssue> issues = validate_config(parsed(
      "users:\n  - {name: Bad Name, shell: bash, sudo: ['ALL ALL'], ssh_authorized_keys: ['github:ada'], passwd: hunter2}\n"
      "  - {groups: [sudo]}\n"));
  std::vector<std::string> keys;
  for (const ConfigIssue& issue : issues) {
    keys.push_back(issue.key);
    CHECK(issue.message.find("hunter2") == std::string::npos);
  }
  CHECK(keys == std::vector<std::string>{"users[0].name", "users[0].shell", "users[0].sudo[0]", "users[0].ssh_authorized_keys[0]",
                                         "users[0].passwd", "users[1].name"});
  const ConfigNode shown = without_secrets(parsed("users: [{name: ada, passwd: $6$s$h}]\n"));
  CHECK(config_text(config_at(shown, "users")->items[0], "passwd") == "(set)");
}

TEST_CASE("the boot plan: users after the node user, deferred and appended write_files told apart") {
  const BootPlan plan = boot_plan(parsed(
      "users: [{name: ada}]\nwrite_files:\n  - {path: /etc/a, content: a, append: true}\n  - {path: /home/ada/b, owner: ada, defer: true}\n"));
  REQUIRE(plan.users.size() == 1);
  CHECK(plan.users[0].name == "ada");
  REQUIRE(plan.files.size() == 1);
  CHECK((plan.files[0].path == "/etc/a" && plan.files[0].append));
  REQUIRE(plan.deferred_files.size() == 1);
  CHECK((plan.deferred_files[0].path == "/home/ada/b" && !plan.deferred_files[0].append));
}

}  // namespace
}  // namespace macula
