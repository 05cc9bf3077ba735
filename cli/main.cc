// The MaculaOS multi-call binary: every applet of the product, chosen by name or first argument.
#include <unistd.h>

#include <span>
#include <string>
#include <vector>

#include "ab/boot_command.h"
#include "cli/version_command.h"
#include "common/applet.h"
#include "config/config_command.h"
#include "encryption/state_command.h"
#include "identity/identity_command.h"
#include "pairing/pairing_command.h"
#include "init/init_command.h"
#include "installer/install_command.h"
#include "net/fetch_command.h"
#include "peers/peers_command.h"
#include "persistence/persistence_command.h"
#include "setup/setup_command.h"
#include "sysinfo/sysinfo_command.h"
#include "upgrade/upgrade_command.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  // As PID 1 nothing on the command line is a request (not even --help): exiting would panic
  // the kernel.
  if (::getpid() == 1) macula::run_as_pid1(std::span(args).subspan(args.empty() ? 0 : 1));
  const macula::Applet applets[] = {
      macula::init_applet(),
      macula::install_applet(),
      macula::boot_applet(),
      macula::version_applet(),
      macula::fetch_applet(),
      macula::upgrade_applet(),
      macula::config_applet(),
      macula::setup_applet(),
      macula::sysinfo_applet(),
      macula::identity_applet(),
      macula::pairing_applet(),
      macula::peers_applet(),
      macula::persistence_applet(),
      macula::state_applet(),
  };
  return macula::run_applets(applets, args);
}
