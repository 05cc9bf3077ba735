#include "init/cmdline.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

using namespace std::chrono_literals;

TEST_CASE("an empty command line gives the defaults") {
  const BootConfig c = parse_cmdline("BOOT_IMAGE=/boot/vmlinuz quiet\n");
  CHECK_FALSE(c.mode);
  CHECK_FALSE(c.debug);
  CHECK_FALSE(c.break_before);
  CHECK(c.shell_allowed);
  CHECK_FALSE(c.emergency);
  CHECK(c.device_timeout == 10s);
  CHECK(c.init == "/sbin/init");
  CHECK_FALSE(c.persistence);
  CHECK(c.warnings.empty());
}

TEST_CASE("macula.persistence: bare or a device turns it on, 0 turns it off") {
  CHECK(parse_cmdline("macula.persistence").persistence == true);
  CHECK(parse_cmdline("macula.persistence").persistence_device.empty());
  CHECK(parse_cmdline("macula.persistence=0").persistence == false);
  const BootConfig label = parse_cmdline("macula.persistence=LABEL=KEEP");
  CHECK(label.persistence == true);
  CHECK(label.persistence_device == "LABEL=KEEP");
  CHECK(parse_cmdline("macula.persistence=/dev/sdb1").persistence_device == "/dev/sdb1");
  const BootConfig bad = parse_cmdline("macula.persistence=sdb");
  CHECK(bad.persistence == true);
  CHECK(bad.persistence_device.empty());
  REQUIRE(bad.warnings.size() == 1);
  CHECK(bad.warnings[0] == "macula.persistence=sdb: expected 0, 1, auto, /dev/NAME or LABEL=NAME; using auto");
}

TEST_CASE("every parameter is read") {
  const BootConfig c = parse_cmdline(
      "macula.mode=install macula.debug macula.break=mount macula.shell=0 "
      "macula.emergency=poweroff macula.timeout=30 macula.modules=e1000,nvme "
      "macula.modules=xhci_pci console=tty1 console=ttyS0,115200n8 init=/sbin/openrc-init "
      "macula.slot=b");
  CHECK(c.mode == BootMode::install);
  CHECK(c.debug);
  CHECK(c.break_before == BreakPoint::mount);
  CHECK_FALSE(c.shell_allowed);
  CHECK(c.emergency == Emergency::poweroff);
  CHECK(c.device_timeout == 30s);
  CHECK(c.extra_modules == std::vector<std::string>{"e1000", "nvme", "xhci_pci"});
  CHECK(c.consoles == std::vector<std::string>{"tty1", "ttyS0,115200n8"});
  CHECK(c.init == "/sbin/openrc-init");
  CHECK(c.slot == Slot::b);
  CHECK(c.warnings.empty());
}

TEST_CASE("every mode has its name") {
  for (auto [text, mode] : {std::pair{"live", BootMode::live}, {"install", BootMode::install},
                            {"disk", BootMode::disk}, {"recovery", BootMode::recovery},
                            {"shell", BootMode::shell}}) {
    CHECK(parse_cmdline(std::string("macula.mode=") + text).mode == mode);
    CHECK(to_string(mode) == text);
  }
}

TEST_CASE("the last value of a repeated parameter wins") {
  CHECK(parse_cmdline("macula.mode=shell macula.mode=live").mode == BootMode::live);
}

TEST_CASE("a bare macula.break stops before the pivot, like rd.break") {
  CHECK(parse_cmdline("macula.break").break_before == BreakPoint::pivot);
}

TEST_CASE("init= replaces the image's init only when it names another program") {
  CHECK_FALSE(replaces_image_init(parse_cmdline("")));
  CHECK_FALSE(replaces_image_init(parse_cmdline("init=/sbin/init")));
  CHECK(replaces_image_init(parse_cmdline("init=/bin/sh")));
  CHECK_FALSE(replaces_image_init(parse_cmdline("init=bin/sh")));  // refused: the image's init stays
}

TEST_CASE("bad values are warnings naming the parameter and the value used instead") {
  const BootConfig c = parse_cmdline(
      "macula.mode=bogus macula.timeout=abc macula.emergency=explode macula.break=later "
      "macula.shell=maybe init=sbin/init macula.debug=2");
  CHECK_FALSE(c.mode);
  CHECK(c.device_timeout == 10s);
  CHECK_FALSE(c.emergency);
  CHECK(c.break_before == BreakPoint::pivot);
  CHECK(c.shell_allowed);
  CHECK(c.init == "/sbin/init");
  REQUIRE(c.warnings.size() == 7);
  CHECK(c.warnings[0] ==
        "macula.mode=bogus: expected live, install, disk, recovery or shell; choosing by the "
        "media present instead");
  CHECK(c.warnings[1] == "macula.timeout=abc: expected whole seconds from 1 to 3600; using 10");
  CHECK(c.warnings[2] ==
        "macula.emergency=explode: expected shell, reboot or poweroff; using the default (reboot on an "
        "installed disk, else shell)");
  CHECK(c.warnings[3] ==
        "macula.break=later: expected modules, devices, mount, overlay or pivot; breaking before "
        "pivot instead");
  CHECK(c.warnings[4] == "macula.shell=maybe: expected 0 or 1; using 1 (allowed)");
  CHECK(c.warnings[5] == "init=sbin/init: expected an absolute path; using /sbin/init");
  CHECK(c.warnings[6] == "macula.debug=2: expected 0 or 1; using 0 (off)");
  CHECK_FALSE(c.debug);
}

TEST_CASE("a bad slot is a warning and no slot") {
  const BootConfig c = parse_cmdline("macula.slot=c");
  CHECK_FALSE(c.slot);
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0] == "macula.slot=c: expected a or b; using none (disk mode will stop)");
}

TEST_CASE("timeouts out of range are refused") {
  for (const char* v : {"0", "3601", "-1", "5s", ""}) {
    const BootConfig c = parse_cmdline(std::string("macula.timeout=") + v);
    CHECK(c.device_timeout == 10s);
    CHECK(c.warnings.size() == 1);
  }
}

TEST_CASE("an installed disk reboots on a fatal error unless a shell is asked for: others give a shell") {
  const BootConfig plain = parse_cmdline("");
  CHECK(emergency_action(plain, BootMode::disk) == Emergency::reboot);
  CHECK(emergency_action(plain, BootMode::live) == Emergency::shell);
  CHECK(emergency_action(plain, BootMode::recovery) == Emergency::shell);
  CHECK(emergency_action(plain, std::nullopt) == Emergency::shell);
  CHECK(emergency_action(parse_cmdline("macula.emergency=shell"), BootMode::disk) == Emergency::shell);
  CHECK(emergency_action(parse_cmdline("macula.emergency=poweroff"), BootMode::live) == Emergency::poweroff);
  CHECK(emergency_action(parse_cmdline("macula.shell=0"), BootMode::live) == Emergency::reboot);
  CHECK(emergency_action(parse_cmdline("macula.shell=0 macula.emergency=shell"), BootMode::disk) == Emergency::reboot);
}

TEST_CASE("hostile command lines: one warning per bad word, and the boot goes on") {
  const std::string long_word = "macula.mode=" + std::string(3000, 'x');
  const BootConfig c = parse_cmdline("macula.timeout= macula.timeout=99999 macula.watchdog=-5 "
                                     "macula.mode=live macula.mode=disk macula.slot= " + long_word);
  CHECK(c.device_timeout == 10s);
  CHECK_FALSE(c.watchdog);
  CHECK_FALSE(c.mode);  // the long word is the last macula.mode= and is not a mode
  CHECK_FALSE(c.slot);
  REQUIRE(c.warnings.size() == 8);  // 3 bad numbers, an empty slot, 3 repeats, a bad mode
  for (const std::string& w : c.warnings) CHECK(w.size() < 200);
  CHECK(c.warnings[1] == "macula.timeout=99999: macula.timeout was given before; this one wins");
  CHECK_THAT(c.warnings.back(), Catch::Contains("(3000 bytes)"));
}

TEST_CASE("a quoted value holding a newline still warns in one line (found by fuzz/cmdline_fuzz)") {
  const BootConfig c = parse_cmdline("macula.emergency=\"later\nsoon\" init=/sbin/init\n");
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].find('\n') == std::string::npos);
  CHECK_THAT(c.warnings[0], Catch::StartsWith("macula.emergency=later?soon"));
}

TEST_CASE("watchdog seconds: 0 turns it off, up to an hour") {
  CHECK(parse_cmdline("macula.watchdog=0").watchdog == 0s);
  CHECK(parse_cmdline("macula.watchdog=900").watchdog == 900s);
  CHECK(parse_cmdline("macula.watchdog=3601").warnings.size() == 1);
}

TEST_CASE("the kernel's leftover words are ignored by PID 1, each with a warning") {
  const std::vector<std::string> args{"single", "splash", "--help"};
  const auto warnings = ignored_argument_warnings(args);
  REQUIRE(warnings.size() == 3);
  CHECK_THAT(warnings[2], Catch::Contains("'--help'") && Catch::Contains("ignored"));
}

}  // namespace
}  // namespace macula
