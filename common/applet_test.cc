#include "common/applet.h"

#include <catch2/catch.hpp>

#include <set>

#include "common/json_fields.h"

namespace macula {
namespace {

Result<int> noop(std::span<const std::string>) { return 0; }

constexpr std::string_view kRootWords[] = {"--apply"};

const Applet kApplets[] = {
    {"version", "print versions", "usage: version", noop},
    {.name = "init", .summary = "PID 1", .usage = "usage: init", .run = noop, .by_name = true, .hidden = true},
    {.name = "macula-install", .summary = "install", .usage = "usage: macula-install", .run = noop, .by_name = true,
     .needs_root = true},
    {.name = "upgrade", .summary = "upgrade", .usage = "usage: upgrade", .run = noop, .root_words = kRootWords},
};

Result<Invocation> resolve(std::vector<std::string> argv) {
  return resolve_invocation(kApplets, argv);
}

TEST_CASE("the first argument chooses the command under the umbrella name") {
  auto inv = resolve({"/usr/bin/maculaos", "version", "x"});
  REQUIRE(inv);
  CHECK(inv->applet->name == "version");
  CHECK(inv->args == std::vector<std::string>{"x"});
  CHECK_FALSE(inv->help);
}

TEST_CASE("argv[0] chooses a by-name applet, whatever the directory") {
  auto init = resolve({"/init"});
  REQUIRE(init);
  CHECK(init->applet->name == "init");
  CHECK(init->args.empty());

  auto install = resolve({"/sbin/macula-install", "/dev/sda", "--yes"});
  REQUIRE(install);
  CHECK(install->applet->name == "macula-install");
  CHECK(install->args == std::vector<std::string>{"/dev/sda", "--yes"});
}

TEST_CASE("a by-name applet is also reachable as a command") {
  auto inv = resolve({"maculaos", "macula-install", "/dev/vda"});
  REQUIRE(inv);
  CHECK(inv->applet->name == "macula-install");
  CHECK(inv->args == std::vector<std::string>{"/dev/vda"});
}

TEST_CASE("an unknown binary name falls back to the first argument") {
  auto inv = resolve({"./maculaos-0.1", "version"});
  REQUIRE(inv);
  CHECK(inv->applet->name == "version");
}

TEST_CASE("help: --help is understood on every name") {
  for (auto argv : std::vector<std::vector<std::string>>{
           {"/init", "--help"}, {"macula-install", "-h"}, {"maculaos", "version", "--help"}}) {
    auto inv = resolve(argv);
    REQUIRE(inv);
    CHECK(inv->help);
    REQUIRE(inv->applet);
  }
  auto list = resolve({"maculaos", "--help"});
  REQUIRE(list);
  CHECK(list->help);
  CHECK(list->applet == nullptr);

  auto named = resolve({"maculaos", "help", "init"});
  REQUIRE(named);
  CHECK(named->help);
  CHECK(named->applet->name == "init");
}

TEST_CASE("the --version option: as the command, and as any applet's first argument, by any name") {
  for (auto argv : std::vector<std::vector<std::string>>{
           {"maculaos", "--version"}, {"macula-install", "--version"}, {"maculaos", "upgrade", "--version"}}) {
    auto inv = resolve(argv);
    REQUIRE(inv);
    CHECK(inv->version);
    CHECK_FALSE(inv->help);
  }
  CHECK_FALSE(resolve({"maculaos", "upgrade", "--check", "--version"})->version);
  CHECK(version_line() == "maculaos " MACULAOS_VERSION);
  CHECK(run_applets(kApplets, std::vector<std::string>{"maculaos", "upgrade", "--version"}) == 0);
}

TEST_CASE("hidden applets run, but the command list and the choices do not name them") {
  auto init = resolve({"maculaos", "init"});
  REQUIRE(init);
  CHECK(init->applet->name == "init");
  const std::string list = command_list(kApplets);
  CHECK_THAT(list, Catch::Contains("\n  version ") && Catch::Contains("\n  macula-install "));
  CHECK_THAT(list, !Catch::Contains("PID 1") && !Catch::Contains("  init "));
  auto unknown = resolve({"maculaos", "frobnicate"});
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, !Catch::Contains("init"));
}

TEST_CASE("root: a whole applet, or the runs that hold one of its root words") {
  const Applet& install = kApplets[2];
  const Applet& upgrade = kApplets[3];
  CHECK(needs_root(install, std::vector<std::string>{"--dry-run"}));
  CHECK(needs_root(upgrade, std::vector<std::string>{"--apply", "--from", "x"}));
  CHECK_FALSE(needs_root(upgrade, std::vector<std::string>{"--status"}));
  CHECK_FALSE(needs_root(kApplets[0], std::vector<std::string>{}));
}

TEST_CASE("root: one line before anything runs, a permission error naming the command as typed") {
  const std::vector<std::string> apply = {"--apply"};
  auto refusal = root_refusal(kApplets[3], apply, 1000);
  REQUIRE(refusal);
  CHECK(refusal->text() == "maculaos upgrade: run it with sudo (it needs root)");
  CHECK(refusal->kind == ErrorKind::permission);
  CHECK(root_refusal(kApplets[2], {}, 1000)->text() == "macula-install: run it with sudo (it needs root)");
  CHECK_FALSE(root_refusal(kApplets[3], apply, 0));
  CHECK_FALSE(root_refusal(kApplets[3], std::vector<std::string>{"--status"}, 1000));
}

TEST_CASE("completion and man pages are asked of the dispatcher, for any table") {
  auto completion = resolve({"maculaos", "completion", "bash"});
  REQUIRE(completion);
  CHECK(completion->completion);
  CHECK(resolve({"maculaos", "completion", "--help"})->help);
  CHECK_FALSE(resolve({"maculaos", "completion", "fish"}));
  CHECK_FALSE(resolve({"maculaos", "completion"}));

  auto umbrella = resolve({"maculaos", "help", "--man"});
  REQUIRE(umbrella);
  CHECK((umbrella->man && !umbrella->applet));
  auto page = resolve({"maculaos", "help", "--man", "upgrade"});
  REQUIRE(page);
  CHECK((page->man && page->applet->name == "upgrade"));
  auto dir = resolve({"maculaos", "help", "--man-dir", "/tmp/man8"});
  REQUIRE(dir);
  CHECK(dir->man_dir == "/tmp/man8");
  auto unknown = resolve({"maculaos", "help", "--man", "nope"});
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("'nope'"));
  CHECK_FALSE(resolve({"maculaos", "help", "--manual"}));
}

TEST_CASE("help only counts as the applet's first argument") {
  auto inv = resolve({"maculaos", "version", "x", "--help"});
  REQUIRE(inv);
  CHECK_FALSE(inv->help);
}

TEST_CASE("misuse is a one-line error naming the input and the choices") {
  auto none = resolve({"maculaos"});
  REQUIRE_FALSE(none);
  CHECK_THAT(none.error().message, Catch::Contains("no command given") &&
                                       Catch::Contains("(expected one of: version, macula-install, upgrade;"));

  auto unknown = resolve({"maculaos", "frobnicate"});
  REQUIRE_FALSE(unknown);
  CHECK_THAT(unknown.error().message, Catch::Contains("'frobnicate'"));
  CHECK(unknown.error().message.find('\n') == std::string::npos);

  auto bad_help = resolve({"maculaos", "help", "nope"});
  REQUIRE_FALSE(bad_help);
  CHECK_THAT(bad_help.error().message, Catch::Contains("'nope'"));
}

TEST_CASE("run_applets passes the arguments and returns the applet's status") {
  static std::vector<std::string> seen;
  const Applet applets[] = {{"echo", "", "usage: echo", [](std::span<const std::string> a) {
                               seen.assign(a.begin(), a.end());
                               return Result<int>(7);
                             }}};
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "echo", "a", "b"}) == 7);
  CHECK(seen == std::vector<std::string>{"a", "b"});
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "nope"}) == 2);
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "echo", "--help"}) == 0);
}

TEST_CASE("run_applets exits with the status of the error's kind: 2 for usage, 1 for a plain failure") {
  static ErrorKind kind;
  const Applet applets[] = {{"broken", "", "usage: broken", [](std::span<const std::string> a) -> Result<int> {
                               if (a.empty()) return usage_error("expected an argument");
                               if (kind == ErrorKind::failure) return fail("it broke");
                               return fail("context", fail(kind, "it broke").error());
                             }}};
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "broken"}) == 2);
  kind = ErrorKind::failure;
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "broken", "x"}) == 1);
  kind = ErrorKind::verification;
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "broken", "x"}) == 6);
  kind = ErrorKind::network;
  CHECK(run_applets(applets, std::vector<std::string>{"maculaos", "broken", "x", "--json"}) == 7);
}

TEST_CASE("every kind of error has a status of its own, and 0 and 3 are no error's") {
  std::set<int> statuses;
  std::set<std::string_view> names;
  for (int k = 0; k <= static_cast<int>(ErrorKind::refused); ++k) {
    const ErrorExit& row = error_exit(static_cast<ErrorKind>(k));
    INFO(row.name);
    CHECK(row.kind == static_cast<ErrorKind>(k));
    CHECK(statuses.insert(row.status).second);
    CHECK(names.insert(row.name).second);
    CHECK(row.status != 0);
    CHECK(row.status != 3);  // upgrade --check: up to date
    CHECK(row.status < 64);  // below sysexits.h's and the shell's own statuses
  }
  CHECK(std::size(kErrorExits) == statuses.size());
  // Scripts already rely on these.
  CHECK(error_exit(ErrorKind::failure).status == 1);
  CHECK(error_exit(ErrorKind::usage).status == 2);
}

TEST_CASE("the JSON of an error names its kind, its whole message and its errno") {
  const Error error = fail("upgrade", fail(ErrorKind::busy, "lock \"/run/x\"", EAGAIN).error()).error();
  auto doc = parse_json_object(error_json(error), "error_json");
  REQUIRE(doc);
  json_object* details = nullptr;
  REQUIRE(json_object_object_get_ex(doc->get(), "error", &details));
  CHECK(std::string(field_string(details, "kind")) == "busy");
  CHECK(std::string(field_string(details, "message")) == error.text());
  std::uint64_t code = 0;
  CHECK((field_u64(details, "errno", code) && code == EAGAIN));
  CHECK(json_object_object_length(details) == 3);
}

TEST_CASE("the command list names every applet with its summary") {
  const std::string list = command_list(kApplets);
  CHECK_THAT(list, Catch::Contains("version") && Catch::Contains("print versions") &&
                       Catch::Contains("macula-install") && Catch::Contains("install"));
  // and where the exit statuses are explained, naming each
  CHECK_THAT(list, Catch::Contains("docs/exit-codes.md") && Catch::Contains("6 verification") &&
                       Catch::Contains("7 network"));
}

}  // namespace
}  // namespace macula
