#include "installer/questions.h"

#include <crypt.h>

#include <cstdio>

#include "config/config_schema.h"
#include "config/config_tree.h"
#include "names/names.h"

namespace macula {

namespace {

struct Question {
  enum class Kind { setting, password, ssh_key };
  const char* key;       // dotted config key
  const char* prompt;
  const char* fallback;  // what the node does when it is not set
  Kind kind = Kind::setting;
};

constexpr Question kQuestions[] = {
    {"hostname", "Host name", "macula-XXXXXX, from the first wired MAC"},
    // the key first: whether the password may be left out depends on it
    {"ssh_authorized_keys", "SSH public key of user macula, or github:USER", "none", Question::Kind::ssh_key},
    {"maculaos.password", "Password for user macula", "none: locked, the SSH key logs in", Question::Kind::password},
    {"maculaos.keyboard", "Console keyboard layout", "us"},
    {"maculaos.timezone", "Time zone", "UTC"},
    {"maculaos.locale", "Locale", "C.UTF-8"},
    {"maculaos.mesh.roles.bootstrap", "Mesh bootstrap role (yes/no)", "no"},
    {"maculaos.mesh.roles.gateway", "Mesh gateway role (yes/no)", "no"},
};

// Asks until the answer is empty (the default) or the schema takes it at key.
Result<std::optional<std::string>> ask_valid(Prompter& prompter, const std::string& prompt, const std::string& key) {
  for (;;) {
    auto answer = prompter.ask(prompt, false);
    if (!answer) return fail("the input ended before the questions did");
    if (answer->empty()) return std::optional<std::string>();
    const std::string problem = setting_problem(key, *answer);
    if (problem.empty()) return std::optional(*answer);
    prompter.say("  " + problem);
  }
}

// required: Enter is not an answer (the node would have no way in but the image's password,
// which an installed node does not keep: config/image_password.h).
Result<std::optional<std::string>> ask_password(Prompter& prompter, const std::string& prompt, bool required) {
  for (;;) {
    auto first = prompter.ask(prompt, true);
    if (!first) return fail("the input ended before the questions did");
    if (first->empty() && required) {
      prompter.say("  a password is needed: with no SSH key it is the only way to log in");
      continue;
    }
    if (first->empty()) return std::optional<std::string>();
    auto again = prompter.ask("The same password again: ", true);
    if (!again) return fail("the input ended before the questions did");
    if (*first == *again) return std::optional(*first);
    prompter.say("  the two passwords differ: again");
  }
}

}  // namespace

Result<void> ask_install_questions(Prompter& prompter, ConfigFlags& flags, const PasswordHasher& hash,
                                   const ConfigNode& given) {
  const auto answered = [&](const char* key) { return flags.has(key) || config_at(given, key); };
  prompter.say(std::string("A few settings of this node (Enter keeps the default in brackets; later, in ") +
               kNodeConfigPath + "):");
  for (const Question& q : kQuestions) {
    const std::string prompt = std::string(q.prompt) + " [" + q.fallback + "]: ";
    switch (q.kind) {
      case Question::Kind::setting: {
        if (answered(q.key)) continue;
        auto answer = ask_valid(prompter, prompt, q.key);
        if (!answer) return fail(answer.error());
        if (*answer) flags.set(q.key, **answer);
        break;
      }
      case Question::Kind::password: {
        if (answered(q.key)) continue;
        const bool keyless = flags.ssh_keys.empty() && config_texts(given, "ssh_authorized_keys").empty();
        auto password = ask_password(prompter, keyless ? std::string(q.prompt) + ": " : prompt, keyless);
        if (!password) return fail(password.error());
        if (!*password) continue;
        auto hashed = hash(**password);
        if (!hashed) return fail(q.key, hashed.error());
        flags.set(q.key, *hashed);
        break;
      }
      case Question::Kind::ssh_key: {
        if (!flags.ssh_keys.empty() || config_at(given, q.key)) continue;
        auto key = ask_valid(prompter, prompt, q.key);
        if (!key) return fail(key.error());
        if (*key) flags.ssh_keys.push_back(**key);
        break;
      }
    }
  }
  return {};
}

Result<std::string> sha512_crypt(const std::string& password) {
  // crypt_gensalt_ra: a random salt from the kernel (getrandom), freed by us
  char* salt = ::crypt_gensalt_ra("$6$", 0, nullptr, 0);
  if (!salt) return fail_errno("crypt_gensalt");
  crypt_data data{};
  const char* hashed = ::crypt_r(password.c_str(), salt, &data);
  ::free(salt);
  if (!hashed || hashed[0] == '*') return fail_errno("crypt");
  return std::string(hashed);
}

}  // namespace macula
