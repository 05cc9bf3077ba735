#include "installer/questions.h"

#include <catch2/catch.hpp>
#include <crypt.h>

#include <deque>

namespace macula {
namespace {

// Answers from a script, in order; remembers what it was asked and told.
class ScriptedPrompter final : public Prompter {
 public:
  explicit ScriptedPrompter(std::deque<std::string> answers) : answers_(std::move(answers)) {}
  std::optional<std::string> ask(const std::string& prompt, bool secret) override {
    asked.push_back(prompt + (secret ? " (secret)" : ""));
    if (answers_.empty()) return std::nullopt;
    std::string answer = answers_.front();
    answers_.pop_front();
    return answer;
  }
  void say(const std::string& line) override { said.push_back(line); }
  std::vector<std::string> asked, said;

 private:
  std::deque<std::string> answers_;
};

Result<std::string> fixture_hash(const std::string& password) { return "$6$fixture$" + password; }

std::optional<std::string> value(const ConfigFlags& flags, const std::string& key) {
  for (const auto& [k, v] : flags.values)
    if (k == key) return v;
  return std::nullopt;
}

TEST_CASE("install questions: each answer checked, asked again when wrong, Enter keeps the default") {
  ScriptedPrompter prompter({"bad_name", "edge-9", "github:octocat", "pw1", "pw2", "pw1", "pw1", "", "../etc/shadow",
                             "Europe/Berlin", "", "maybe", "yes", ""});
  ConfigFlags flags;
  REQUIRE(ask_install_questions(prompter, flags, fixture_hash, {}));
  CHECK(value(flags, "hostname") == "edge-9");
  CHECK(value(flags, "maculaos.password") == "$6$fixture$pw1");
  CHECK(flags.ssh_keys == std::vector<std::string>{"github:octocat"});
  CHECK_FALSE(value(flags, "maculaos.keyboard"));
  CHECK(value(flags, "maculaos.timezone") == "Europe/Berlin");
  CHECK_FALSE(value(flags, "maculaos.locale"));
  CHECK(value(flags, "maculaos.mesh.roles.bootstrap") == "yes");
  CHECK_FALSE(value(flags, "maculaos.mesh.roles.gateway"));
  CHECK(prompter.asked[0] == "Host name [macula-XXXXXX, from the first wired MAC]: ");
  CHECK(prompter.asked[3] == "Password for user macula [none: locked, the SSH key logs in]:  (secret)");
  REQUIRE(prompter.said.size() == 5);
  CHECK(prompter.said[1] == "  \"bad_name\": expected a host name (letters, digits and inner hyphens, 63 characters a label)");
  CHECK(prompter.said[2] == "  the two passwords differ: again");
  CHECK(prompter.said[3].find("expected a tz database name") != std::string::npos);
  CHECK(prompter.said[4] == "  \"maybe\": expected true or false");
}

TEST_CASE("what an option set is not asked, and input that ends is an error") {
  ConfigFlags flags;
  flags.set("hostname", "given");
  flags.set("maculaos.password", "$6$s$h");
  flags.ssh_keys.push_back("ssh-ed25519 AAAA k");
  ScriptedPrompter prompter({"", "", ""});
  auto ended = ask_install_questions(prompter, flags, fixture_hash, {});
  REQUIRE_FALSE(ended);
  CHECK(ended.error().text() == "the input ended before the questions did");
  CHECK(prompter.asked.front() == "Console keyboard layout [us]: ");
  CHECK(value(flags, "hostname") == "given");
}

TEST_CASE("with no SSH key the password is required: Enter is refused until one is given") {
  ScriptedPrompter prompter({"", "", "", "pw", "pw", "", "", "", "", ""});
  ConfigFlags flags;
  REQUIRE(ask_install_questions(prompter, flags, fixture_hash, {}));
  CHECK(value(flags, "maculaos.password") == "$6$fixture$pw");
  CHECK(prompter.asked[2] == "Password for user macula:  (secret)");
  REQUIRE(prompter.said.size() == 2);
  CHECK(prompter.said[1] == "  a password is needed: with no SSH key it is the only way to log in");
}

TEST_CASE("what the install's config sets is not asked: its keys make the password optional") {
  auto given = parse_config("hostname: from-config\nssh_authorized_keys: [ssh-ed25519 AAAA k]\n", "fixture.yaml");
  REQUIRE(given);
  ScriptedPrompter prompter({"", "", "", "", "", ""});
  ConfigFlags flags;
  REQUIRE(ask_install_questions(prompter, flags, fixture_hash, *given));
  CHECK(prompter.asked.front() == "Password for user macula [none: locked, the SSH key logs in]:  (secret)");
  CHECK_FALSE(value(flags, "maculaos.password"));
  CHECK_FALSE(value(flags, "hostname"));
}

TEST_CASE("the password hash is a SHA-512 crypt(3) hash that verifies") {
  auto hashed = sha512_crypt("fixture-password");
  REQUIRE(hashed);
  CHECK(hashed->starts_with("$6$"));
  crypt_data data{};
  CHECK(std::string(::crypt_r("fixture-password", hashed->c_str(), &data)) == *hashed);
  CHECK(*sha512_crypt("fixture-password") != *hashed);  // a new salt each time
}

}  // namespace
}  // namespace macula
