#include "common/applet.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include "common/bash_completion.h"
#include "common/files.h"
#include "common/json.h"
#include "common/man_page.h"

namespace macula {

namespace {

constexpr std::string_view kUmbrella = "maculaos";

constexpr std::string_view kCompletionUsage = R"(usage: maculaos completion bash

Prints bash completion for maculaos and macula-install, made from this binary's commands and
their options. The image loads it at the first Tab; elsewhere: source <(maculaos completion bash)
)";

const Applet* find_applet(std::span<const Applet> applets, std::string_view name) {
  auto it = std::ranges::find(applets, name, &Applet::name);
  return it == applets.end() ? nullptr : &*it;
}

bool is_help(std::string_view arg) { return arg == "--help" || arg == "-h"; }

// The commands a person is offered: hidden ones run, but are not named.
std::string names(std::span<const Applet> applets) {
  std::string out;
  for (const Applet& a : applets)
    if (!a.hidden) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
}

// `help --man [NAME]` and `help --man-dir DIR`, the words after help.
Result<Invocation> man_request(std::span<const Applet> applets, std::span<const std::string> rest) {
  Invocation inv;
  inv.man = true;
  if (rest.size() == 2 && rest[0] == "--man-dir") {
    inv.man_dir = rest[1];
    return inv;
  }
  if (rest.size() > 2 || rest[0] != "--man")
    return usage_error("maculaos help: expected help [NAME], help --man [NAME] or help --man-dir DIR");
  if (rest.size() == 2) {
    inv.applet = find_applet(applets, rest[1]);
    if (!inv.applet) return usage_error("maculaos help --man: unknown command '" + rest[1] + "' (expected one of: " +
                                        names(applets) + ")");
  }
  return inv;
}

// Every page: maculaos(8) and one for each command a person is offered.
Result<void> write_man_pages(std::span<const Applet> applets, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(dir, ec.value());
  if (auto r = write_file_atomic(dir + "/maculaos.8", umbrella_man_page(applets), 0644); !r) return fail(r.error());
  for (const Applet& a : applets) {
    if (a.hidden) continue;
    if (auto r = write_file_atomic(dir + "/" + man_page_name(a) + ".8", man_page(a), 0644); !r) return fail(r.error());
  }
  return {};
}

// The table is indexed by kind: one row for each, in the enum's order (refused is its last).
constexpr bool rows_in_kind_order() {
  for (size_t i = 0; i < std::size(kErrorExits); ++i)
    if (kErrorExits[i].kind != static_cast<ErrorKind>(i)) return false;
  return true;
}
static_assert(std::size(kErrorExits) == static_cast<size_t>(ErrorKind::refused) + 1 && rows_in_kind_order());

// Says what went wrong on stderr, and on stdout as JSON when the command line asked for JSON;
// the exit status of its kind.
int report(const Error& error, std::span<const std::string> argv) {
  std::fprintf(stderr, "%s\n", error.text().c_str());
  if (std::ranges::find(argv, "--json") != argv.end()) std::printf("%s\n", error_json(error).c_str());
  return error_exit(error.kind).status;
}

}  // namespace

const ErrorExit& error_exit(ErrorKind kind) { return kErrorExits[static_cast<size_t>(kind)]; }

std::string error_json(const Error& error) {
  JsonObject details;
  details.add("kind", error_exit(error.kind).name).add("message", error.text()).add("errno", std::int64_t{error.code});
  return JsonObject().add("error", details).str();
}

Result<Invocation> resolve_invocation(std::span<const Applet> applets,
                                      std::span<const std::string> argv) {
  std::string_view argv0 = argv.empty() ? kUmbrella : std::string_view(argv[0]);
  argv0 = argv0.substr(argv0.rfind('/') + 1);  // npos + 1 == 0

  Invocation inv;
  std::span<const std::string> rest = argv.empty() ? argv : argv.subspan(1);
  if (const Applet* a = find_applet(applets, argv0); a && a->by_name) {
    inv.applet = a;
  } else {
    if (rest.empty()) return usage_error(std::string(kUmbrella) + ": no command given (expected one of: " +
                                  names(applets) + "; see maculaos --help)");
    const std::string& command = rest.front();
    rest = rest.subspan(1);
    if (command == "--version") {
      inv.version = true;
      return inv;
    }
    if (command == "completion") {
      inv.completion = true;
      inv.help = rest.size() == 1 && is_help(rest[0]);
      if (!inv.help && (rest.size() != 1 || rest[0] != "bash"))
        return usage_error("maculaos completion: expected the shell: bash");
      return inv;
    }
    if (command == "help" && !rest.empty() && rest[0].starts_with("--man")) return man_request(applets, rest);
    if (is_help(command) || command == "help") {
      inv.help = true;
      if (command == "help" && !rest.empty()) {
        inv.applet = find_applet(applets, rest.front());
        if (!inv.applet) return usage_error("maculaos help: unknown command '" + rest.front() +
                                     "' (expected one of: " + names(applets) + ")");
      }
      return inv;
    }
    inv.applet = find_applet(applets, command);
    if (!inv.applet) return usage_error("maculaos: unknown command '" + command +
                                 "' (expected one of: " + names(applets) + ")");
  }
  inv.help = !rest.empty() && is_help(rest.front());
  inv.version = !rest.empty() && rest.front() == "--version";
  inv.args.assign(rest.begin(), rest.end());
  return inv;
}

std::string version_line() { return std::string(kUmbrella) + " " + MACULAOS_VERSION; }

bool needs_root(const Applet& applet, std::span<const std::string> args) {
  if (applet.needs_root) return true;
  return std::ranges::any_of(args, [&](const std::string& arg) {
    return std::ranges::find(applet.root_words, std::string_view(arg)) != applet.root_words.end();
  });
}

std::optional<Error> root_refusal(const Applet& applet, std::span<const std::string> args, unsigned euid) {
  if (euid == 0 || !needs_root(applet, args)) return std::nullopt;
  const std::string name = applet.by_name ? std::string(applet.name) : std::string(kUmbrella) + " " + std::string(applet.name);
  return Error{0, name + ": run it with sudo (it needs root)", ErrorKind::permission};
}

std::string command_list(std::span<const Applet> applets) {
  std::string out =
      "usage: maculaos COMMAND [ARGS...]   (or run under a command's name)\n\ncommands:\n";
  auto row = [&](std::string_view name, std::string_view summary) {
    std::string line = "  " + std::string(name);
    line.resize(std::max<size_t>(line.size() + 1, 18), ' ');
    out += line + std::string(summary) + "\n";
  };
  for (const Applet& a : applets)
    if (!a.hidden) row(a.name, a.summary);
  row("completion", "bash completion of every command: source <(maculaos completion bash)");
  out += "\n`maculaos COMMAND --help` describes a command (`man maculaos-COMMAND` too);\n"
         "`maculaos --version` prints the version.\nexit status: 0 done";
  for (const ErrorExit& e : kErrorExits) out += ", " + std::to_string(e.status) + " " + std::string(e.name);
  out += " (docs/exit-codes.md)\n";
  return out;
}

int run_applets(std::span<const Applet> applets, std::span<const std::string> argv) {
  auto inv = resolve_invocation(applets, argv);
  if (!inv) return report(inv.error(), argv);
  if (inv->version) return std::puts(version_line().c_str()), 0;
  if (inv->completion) return std::fputs(inv->help ? kCompletionUsage.data() : bash_completion(applets).c_str(), stdout), 0;
  if (inv->man_dir) {
    if (auto r = write_man_pages(applets, *inv->man_dir); !r) return report(fail("maculaos help --man-dir", r.error()).error(), argv);
    return 0;
  }
  if (inv->man) return std::fputs((inv->applet ? man_page(*inv->applet) : umbrella_man_page(applets)).c_str(), stdout), 0;
  if (inv->help) {
    const std::string text = inv->applet ? std::string(inv->applet->usage) : command_list(applets);
    std::fputs(text.c_str(), stdout);
    if (!text.ends_with('\n')) std::fputc('\n', stdout);
    return 0;
  }
  if (auto refusal = root_refusal(*inv->applet, inv->args, ::geteuid())) return report(*refusal, argv);
  auto status = inv->applet->run(inv->args);
  if (status) return *status;
  return report(fail(inv->applet->name, status.error()).error(), argv);
}

}  // namespace macula
