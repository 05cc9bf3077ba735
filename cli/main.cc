// The MaculaOS multi-call binary: every applet of the product, chosen by name or first argument.
#include <string>
#include <vector>

#include "ab/boot_command.h"
#include "cli/version_command.h"
#include "common/applet.h"
#include "init/init_command.h"
#include "installer/install_command.h"
#include "net/fetch_command.h"
#include "upgrade/upgrade_command.h"

int main(int argc, char** argv) {
  const macula::Applet applets[] = {
      macula::init_applet(),
      macula::install_applet(),
      macula::boot_applet(),
      macula::version_applet(),
      macula::fetch_applet(),
      macula::upgrade_applet(),
  };
  const std::vector<std::string> args(argv, argv + argc);
  return macula::run_applets(applets, args);
}
