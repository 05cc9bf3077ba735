// The MaculaOS multi-call binary: every applet of the product, chosen by name or first argument.
#include <unistd.h>

#include <span>
#include <string>
#include <vector>

#include "ab/sys/boot_command.h"
#include "cli/sys/version_command.h"
#include "common/applet.h"
#include "config/sys/config_command.h"
#include "encryption/sys/state_command.h"
#include "identity/sys/identity_command.h"
#include "pairing/sys/pairing_command.h"
#include "init/sys/init_command.h"
#include "installer/sys/install_command.h"
#include "logs/sys/logs_command.h"
#include "net/sys/fetch_command.h"
#include "peers/sys/peers_command.h"
#include "persistence/sys/persistence_command.h"
#include "setup/sys/setup_command.h"
#include "support/sys/support_command.h"
#include "sysinfo/sys/sysinfo_command.h"
#include "upgrade/sys/upgrade_command.h"

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
      macula::logs_applet(),
      macula::support_applet(),
  };
  return macula::run_applets(applets, args);
}
