#include "pairing/sys/pairing_port.h"

#include <unistd.h>

#include <cstdio>
#include <string>

#include "common/files.h"
#include "common/process.h"
#include "config/firewall.h"

namespace macula {

namespace {

std::string set_name() { return std::string(kFirewallTable) + " " + kPairingSet; }

// One nft command on the pairing set, as a script (the table's name is one string).
Result<std::string> nft_on_set(const std::string& verb, const std::string& tail = "") {
  return run_command({"nft", "-f", "-"}, verb + " " + set_name() + tail + "\n");
}

std::string port_element() { return " { " + std::to_string(kPairingPort) + " }"; }

}  // namespace

Result<PairingPortOpening> PairingPortOpening::open() {
  PairingPortOpening opening;
  // The cue first: a `maculaos config apply` from now on loads the table with the port open.
  if (auto r = write_file_atomic(kPairingCue, "", 0644); !r) return fail("pairing: the firewall cue", r.error());
  opening.armed_ = true;
  const std::string set = set_name();
  if (!nft_on_set("list set")) {
    std::printf("pairing: the firewall is off (no set %s): port %d is not filtered\n", set.c_str(), kPairingPort);
    return opening;
  }
  if (auto r = nft_on_set("add element", port_element()); !r)
    return fail("pairing: open port " + std::to_string(kPairingPort) + " in " + set, r.error());
  return opening;
}

PairingPortOpening::~PairingPortOpening() {
  if (armed_) close_leftovers();
}

void PairingPortOpening::close_leftovers() {
  ::unlink(kPairingCue);
  // absent when the firewall is off or was reloaded without the cue: nothing left to close
  (void)nft_on_set("delete element", port_element());
}

}  // namespace macula
