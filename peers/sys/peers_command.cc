#include "peers/sys/peers_command.h"

#include <chrono>
#include <cstdio>

#include "common/args.h"
#include "common/process.h"
#include "config/mdns.h"
#include "peers/avahi_browse.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos peers [--json]

The MaculaOS nodes on this LAN (this one too), found by mDNS: each node announces itself as
_macula._tcp (avahi-daemon, from the node config). Lists name, address, version, k3s role
and mesh realm; --json prints them as a JSON array.
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}};

Result<int> run_peers(std::span<const std::string> argv) {
  auto args = parse_args("maculaos peers", kOptions, argv);
  if (!args) return fail(args.error());
  if (!args->positional.empty()) return usage_error("unexpected '" + args->positional[0] + "' (see maculaos peers --help)");
  // --terminate: what avahi-daemon knows and finds in its first round of queries, then exit.
  auto browsed = run_command({"avahi-browse", "--resolve", "--terminate", "--parsable", "--no-db-lookup", kMaculaServiceType},
                             "", std::chrono::seconds(30));
  if (!browsed) return fail("browse the LAN for " + std::string(kMaculaServiceType) + " (is avahi-daemon running?)", browsed.error());
  const std::vector<Peer> peers = parse_avahi_browse(*browsed);
  std::fputs((args->has("json") ? peers_json(peers) : peers_table(peers)).c_str(), stdout);
  return 0;
}

}  // namespace

Applet peers_applet() {
  return {.name = "peers", .summary = "the MaculaOS nodes on the LAN (mDNS)", .usage = kUsage, .run = run_peers, .options = kOptions};
}

}  // namespace macula
