#include "setup/wizard_pages.h"

#include <cstdio>

#include "common/text_lines.h"

namespace macula {

namespace {

// How network.conf brings the interface up (rootfs/overlay/etc/init.d/macula-network).
std::string interface_method(std::string_view plan, std::string_view name) {
  for (std::string_view line : text_lines(plan)) {
    const std::size_t space = line.find(' ');
    if (space == std::string_view::npos || line.substr(0, space) != name) continue;
    const std::string_view rest = line.substr(space + 1);
    return std::string(rest.substr(0, rest.find(' ')));
  }
  return "dhcp";
}

}  // namespace

WizardMove wizard_move(WizardStep step, bool step_done, WizardKey key) {
  switch (key) {
    case WizardKey::quit:
      return {WizardMove::quit};
    case WizardKey::back:
      if (step == WizardStep::welcome) return {};
      return {WizardMove::go_to, static_cast<WizardStep>(step_number(step) - 2)};
    case WizardKey::next:
      if (step == WizardStep::summary) return {WizardMove::quit};
      if (step_has_work(step) && !step_done) return {WizardMove::run_step};
      return {WizardMove::go_to, static_cast<WizardStep>(step_number(step))};
    case WizardKey::retry:
      if (step_has_work(step)) return {WizardMove::run_step};
      break;
    case WizardKey::other:
      break;
  }
  return {};
}

bool step_has_work(WizardStep step) {
  return step != WizardStep::welcome && step != WizardStep::summary;
}

std::string_view step_title(WizardStep step) {
  static constexpr std::string_view kTitles[] = {"Welcome", "Network", "Identity", "k3s", "Flux CLI", "GitOps", "Console", "Summary"};
  return kTitles[static_cast<int>(step)];
}

int step_number(WizardStep step) { return static_cast<int>(step) + 1; }

std::vector<std::string> network_lines(const std::vector<InterfaceAddress>& addresses, std::string_view network_plan) {
  std::vector<std::string> lines;
  std::vector<std::string> seen;
  for (const InterfaceAddress& a : addresses) {
    bool known = false;
    for (const std::string& name : seen) known = known || name == a.interface;
    if (known) continue;
    seen.push_back(a.interface);
    std::string list;
    for (const InterfaceAddress& b : addresses)
      if (b.interface == a.interface) list += (list.empty() ? "" : ", ") + b.address;
    char line[256];
    std::snprintf(line, sizeof line, "%-10s %-5s %-7s %s", a.interface.c_str(), a.running ? "up" : "down",
                  interface_method(network_plan, a.interface).c_str(), list.c_str());
    lines.emplace_back(line);
  }
  if (lines.empty()) lines.emplace_back("no interface has an address yet");
  return lines;
}

}  // namespace macula
