#include "common/man_page.h"

#include <catch2/catch.hpp>

#include "common/process.h"

namespace macula {
namespace {

Result<int> noop(std::span<const std::string>) { return 0; }

constexpr std::string_view kUpgradeUsage = R"(usage: maculaos upgrade --check|--apply [OPTIONS]

A/B upgrades from signed releases.
  --check             print the running and the available version
.not a request: a line that starts with a dot, and a \backslash
)";

const Applet kApplets[] = {
    {.name = "init", .summary = "PID 1", .usage = "usage: /init", .run = noop, .by_name = true, .hidden = true},
    {.name = "macula-install", .summary = "install", .usage = "usage: macula-install DEVICE", .run = noop, .by_name = true},
    {.name = "upgrade", .summary = "A/B upgrade", .usage = kUpgradeUsage, .run = noop},
};

TEST_CASE("man: a page is named for the command a person types") {
  CHECK(man_page_name(kApplets[1]) == "macula-install");
  CHECK(man_page_name(kApplets[2]) == "maculaos-upgrade");
}

TEST_CASE("man: the usage text's synopsis and description, literally") {
  const std::string page = man_page(kApplets[2]);
  CHECK_THAT(page, Catch::StartsWith(".TH MACULAOS-UPGRADE 8 \"\" \"MaculaOS " MACULAOS_VERSION "\" \"MaculaOS\"\n"
                                     ".SH NAME\nmaculaos-upgrade \\- A/B upgrade\n"
                                     ".SH SYNOPSIS\n.nf\nmaculaos upgrade --check|--apply [OPTIONS]\n.fi\n"
                                     ".SH DESCRIPTION\n.nf\nA/B upgrades from signed releases.\n"));
  CHECK_THAT(page, Catch::Contains("\n\\&.not a request: a line that starts with a dot, and a \\ebackslash\n"));
  CHECK_THAT(page, Catch::Contains(".SH EXIT STATUS\n0 done, 1 failure, 2 usage"));
  CHECK_THAT(page, Catch::EndsWith(".SH SEE ALSO\nmaculaos(8)\n"));
}

TEST_CASE("man: maculaos(8) lists the commands and their pages, not the hidden ones") {
  const std::string page = umbrella_man_page(kApplets);
  CHECK_THAT(page, Catch::StartsWith(".TH MACULAOS 8 "));
  CHECK_THAT(page, Catch::Contains("  upgrade         A/B upgrade\n"));
  CHECK_THAT(page, Catch::EndsWith(".SH SEE ALSO\nmacula-install(8),\nmaculaos-upgrade(8)\n"));
  CHECK_THAT(page, !Catch::Contains("PID 1"));
}

TEST_CASE("man: the page is roff that man's formatter reads without a warning") {
  // mandoc or groff, whichever the build host has; each says what it could not read on stderr
  for (const std::vector<std::string>& formatter : {std::vector<std::string>{"mandoc", "-T", "lint", "-W", "warning"},
                                                    std::vector<std::string>{"groff", "-man", "-T", "utf8", "-w", "all", "-z"}}) {
    if (!run_command({"sh", "-c", "command -v " + formatter[0]})) continue;
    RunOptions options;
    options.input = man_page(kApplets[2]);
    auto checked = run_process(formatter, options);
    REQUIRE(checked);
    INFO(formatter[0]);
    CHECK(checked->err.empty());
  }
}

TEST_CASE("roff: only what roff would read as a request or an escape changes") {
  CHECK(roff_literal("plain\n") == "plain\n");
  CHECK(roff_literal("'quoted\n.dot\nmid.dle\n") == "\\&'quoted\n\\&.dot\nmid.dle\n");
  CHECK(roff_literal("a\\b") == "a\\eb\n");
}

}  // namespace
}  // namespace macula
