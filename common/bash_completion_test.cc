#include "common/bash_completion.h"

#include <catch2/catch.hpp>

#include "common/process.h"

namespace macula {
namespace {

Result<int> noop(std::span<const std::string>) { return 0; }

constexpr std::string_view kBootCommands[] = {"status", "mark-good"};
constexpr OptionSpec kBootOptions[] = {{"json"}, {"why", 0, true}};
constexpr OptionSpec kInstallOptions[] = {{"yes", 'y'}, {"config", 0, true}};

const Applet kApplets[] = {
    {.name = "init", .summary = "PID 1", .usage = "usage: /init", .run = noop, .by_name = true, .hidden = true},
    {.name = "macula-install", .summary = "install", .usage = "usage: macula-install", .run = noop, .by_name = true,
     .options = kInstallOptions},
    {.name = "boot", .summary = "boot state", .usage = "usage: maculaos boot", .run = noop, .commands = kBootCommands,
     .options = kBootOptions},
    {.name = "version", .summary = "versions", .usage = "usage: maculaos version", .run = noop},
};

// What bash completes for the words typed so far (the last one being completed), the script
// loaded as bash-completion loads it.
std::string completed(std::vector<std::string> words) {
  std::string array;
  for (const std::string& w : words) array += " '" + w + "'";
  const std::string script = bash_completion(kApplets) + "COMP_WORDS=(" + array + ")\nCOMP_CWORD=" +
                             std::to_string(words.size() - 1) + "\ncd /\n_maculaos\necho \"${COMPREPLY[*]}\"\n";
  auto out = run_command({"bash", "--norc", "-c", script});
  REQUIRE(out);
  return out->substr(0, out->find('\n'));
}

TEST_CASE("completion: the commands after maculaos, hidden ones left out") {
  CHECK(completed({"maculaos", ""}) == "completion help --help --version macula-install boot version");
  CHECK(completed({"maculaos", "b"}) == "boot");
  CHECK(completed({"maculaos", "in"}).empty());  // init is hidden
}

TEST_CASE("completion: a command's subcommands, then its options") {
  CHECK(completed({"maculaos", "boot", ""}) == "status mark-good");
  CHECK(completed({"maculaos", "boot", "mark"}) == "mark-good");
  CHECK(completed({"maculaos", "boot", "status", "--"}) == "--json --why --help --version");
  CHECK(completed({"maculaos", "version", "--"}) == "--help --version");
}

TEST_CASE("completion: under an applet's own name, its options, and file names after one that takes a value") {
  CHECK(completed({"/usr/sbin/macula-install", "--c"}) == "--config");
  CHECK(completed({"macula-install", "-"}) == "--yes -y --config --help --version");
  CHECK(completed({"macula-install", "--config", "pro"}) == "proc");
}

TEST_CASE("completion: bash is told which names it completes") {
  const std::string script = bash_completion(kApplets);
  CHECK_THAT(script, Catch::EndsWith("complete -o filenames -F _maculaos maculaos macula-install\n"));
  CHECK_THAT(script, !Catch::Contains("init)"));
}

}  // namespace
}  // namespace macula
