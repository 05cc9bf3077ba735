#include "common/applet.h"

#include <algorithm>
#include <cstdio>

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

}  // namespace

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
  out += "\n`maculaos COMMAND --help` describes a command.\n";
  return out;
}

int run_applets(std::span<const Applet> applets, std::span<const std::string> argv) {
  auto inv = resolve_invocation(applets, argv);
  if (!inv) {
    std::fprintf(stderr, "%s\n", inv.error().text().c_str());
    return 2;
  }
  if (inv->help) {
    const std::string text = inv->applet ? std::string(inv->applet->usage) : command_list(applets);
    std::fputs(text.c_str(), stdout);
    if (!text.ends_with('\n')) std::fputc('\n', stdout);
    return 0;
  }
  auto status = inv->applet->run(inv->args);
  if (status) return *status;
  std::fprintf(stderr, "%s: %s\n", std::string(inv->applet->name).c_str(), status.error().text().c_str());
  return status.error().usage ? 2 : 1;
}

}  // namespace macula
