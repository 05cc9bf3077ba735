#include "common/applet.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "common/json.h"

namespace macula {

namespace {

constexpr std::string_view kUmbrella = "maculaos";

const Applet* find_applet(std::span<const Applet> applets, std::string_view name) {
  auto it = std::ranges::find(applets, name, &Applet::name);
  return it == applets.end() ? nullptr : &*it;
}

bool is_help(std::string_view arg) { return arg == "--help" || arg == "-h"; }

std::string names(std::span<const Applet> applets) {
  std::string out;
  for (const Applet& a : applets) out += (out.empty() ? "" : ", ") + std::string(a.name);
  return out;
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
  inv.args.assign(rest.begin(), rest.end());
  return inv;
}

std::string command_list(std::span<const Applet> applets) {
  std::string out =
      "usage: maculaos COMMAND [ARGS...]   (or run under a command's name)\n\ncommands:\n";
  for (const Applet& a : applets) {
    std::string line = "  " + std::string(a.name);
    line.resize(std::max<size_t>(line.size() + 1, 18), ' ');
    out += line + std::string(a.summary) + "\n";
  }
  out += "\n`maculaos COMMAND --help` describes a command.\nexit status: 0 done";
  for (const ErrorExit& e : kErrorExits) out += ", " + std::to_string(e.status) + " " + std::string(e.name);
  out += " (docs/exit-codes.md)\n";
  return out;
}

int run_applets(std::span<const Applet> applets, std::span<const std::string> argv) {
  auto inv = resolve_invocation(applets, argv);
  if (!inv) return report(inv.error(), argv);
  if (inv->help) {
    const std::string text = inv->applet ? std::string(inv->applet->usage) : command_list(applets);
    std::fputs(text.c_str(), stdout);
    if (!text.ends_with('\n')) std::fputc('\n', stdout);
    return 0;
  }
  auto status = inv->applet->run(inv->args);
  if (status) return *status;
  return report(fail(inv->applet->name, status.error()).error(), argv);
}

}  // namespace macula
