#include "setup/wizard_pages.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("wizard keys: next runs a step's work and then goes on, back and quit work from anywhere") {
  CHECK(wizard_move(WizardStep::welcome, false, WizardKey::next).kind == WizardMove::go_to);
  CHECK(wizard_move(WizardStep::welcome, false, WizardKey::next).to == WizardStep::network);
  CHECK(wizard_move(WizardStep::k3s, false, WizardKey::next).kind == WizardMove::run_step);
  const WizardMove on = wizard_move(WizardStep::k3s, true, WizardKey::next);
  CHECK((on.kind == WizardMove::go_to && on.to == WizardStep::flux));
  const WizardMove back = wizard_move(WizardStep::k3s, true, WizardKey::back);
  CHECK((back.kind == WizardMove::go_to && back.to == WizardStep::identity));
  CHECK(wizard_move(WizardStep::welcome, false, WizardKey::back).kind == WizardMove::stay);
  CHECK(wizard_move(WizardStep::network, false, WizardKey::quit).kind == WizardMove::quit);
  CHECK(wizard_move(WizardStep::summary, true, WizardKey::next).kind == WizardMove::quit);
  CHECK(wizard_move(WizardStep::flux, false, WizardKey::other).kind == WizardMove::stay);
  CHECK(wizard_move(WizardStep::network, true, WizardKey::retry).kind == WizardMove::run_step);
  CHECK(wizard_move(WizardStep::welcome, true, WizardKey::retry).kind == WizardMove::stay);
  CHECK(step_number(WizardStep::summary) == kWizardStepCount);
  CHECK(step_title(WizardStep::identity) == "Identity");
  CHECK(step_title(WizardStep::console) == "Console");
  const WizardMove after_flux = wizard_move(WizardStep::flux, true, WizardKey::next);
  CHECK((after_flux.kind == WizardMove::go_to && after_flux.to == WizardStep::gitops));
  CHECK(wizard_move(WizardStep::console, false, WizardKey::next).kind == WizardMove::run_step);
  const WizardMove after_console = wizard_move(WizardStep::console, true, WizardKey::next);
  CHECK((after_console.kind == WizardMove::go_to && after_console.to == WizardStep::summary));
  CHECK_FALSE(step_has_work(WizardStep::summary));
}

TEST_CASE("the Network page: each interface once, its state, method and addresses") {
  const std::vector<InterfaceAddress> addresses = {
      {"eth0", "10.0.2.15", true}, {"eth1", "192.168.1.5", false}, {"eth0", "fec0::5054:ff:fe12:3456", true}};
  const auto lines = network_lines(addresses, "eth1 static 192.168.1.5/24 192.168.1.1\n");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "eth0       up    dhcp    10.0.2.15, fec0::5054:ff:fe12:3456");
  CHECK(lines[1] == "eth1       down  static  192.168.1.5");
  CHECK(network_lines({}, "") == std::vector<std::string>{"no interface has an address yet"});
}

}  // namespace
}  // namespace macula
