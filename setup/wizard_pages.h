// The setup wizard's pages, as plain data and functions (the ncurses screen in wizard.cc only
// draws them and reads keys): the steps in order, what a key does on each, and the texts that
// depend on the node. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/interface_address.h"

namespace macula {

enum class WizardStep { welcome, network, identity, k3s, flux, gitops, console, summary };
inline constexpr int kWizardStepCount = 8;

// What the person asked for, whatever key they used (wizard.cc maps keys to these).
enum class WizardKey { next, retry, back, quit, other };

struct WizardMove {
  enum Kind { stay, run_step, go_to, quit } kind = stay;
  WizardStep to = WizardStep::welcome;  // for go_to
};

// Next on a step whose work is not done (or failed) runs it; once done, next goes on; retry
// runs a step's work again (a new check, a download resumed); back
// goes to the step before (from any step but the first); quit leaves. The Summary's next
// leaves too: setup is done there.
WizardMove wizard_move(WizardStep step, bool step_done, WizardKey key);

// Whether the step has work that next runs (a check, a key, downloads): the others only show.
bool step_has_work(WizardStep step);

// "Network", shown as "Step 2 of 8: Network".
std::string_view step_title(WizardStep step);
int step_number(WizardStep step);

// The Network page's table: one line per interface, "eth0     up    dhcp     10.0.2.15, ..."
// (how it gets an address from network.conf's text: NAME dhcp|static|off ...; an interface it
// does not name gets DHCP).
std::vector<std::string> network_lines(const std::vector<InterfaceAddress>& addresses, std::string_view network_plan);

}  // namespace macula
