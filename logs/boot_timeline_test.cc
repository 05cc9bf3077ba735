#include "logs/boot_timeline.h"

#include <catch2/catch.hpp>

#include "init/boot_report.h"

namespace macula {
namespace {

TEST_CASE("the boot timeline puts each stage of /init at its moment from the kernel's start") {
  BootReport r;
  r.version = "0.1.0";
  r.kernel = "6.1.0-99-amd64";
  r.mode = "disk";
  r.mode_source = "cmdline";
  r.slot = "b";
  r.state = "/dev/vda4";
  r.watchdog_s = 300;
  r.init = "/sbin/init";
  r.consoles = {"tty1", "ttyS0,115200n8"};
  r.modules_loaded = 40;
  r.modules_failed = 1;
  r.init_started_ms = 2500;
  r.stages = {{"modules", 300}, {"devices", 1120}, {"mount", 30}};
  r.warnings = {"macula.mode=x: expected live, install, disk, recovery or shell"};
  auto text = boot_timeline(to_json(r), "boot.json");
  REQUIRE(text);
  CHECK(*text == "MaculaOS 0.1.0, kernel 6.1.0-99-amd64\n"
                 "disk boot (mode cmdline)\n"
                 "slot b, state /dev/vda4\n"
                 "trial boot: the watchdog resets the machine unless it is marked good within 300 s\n"
                 "       0.000 s  kernel started\n"
                 "       2.500 s  /init started\n"
                 "       2.500 s  modules       300 ms\n"
                 "       2.800 s  devices      1120 ms\n"
                 "       3.920 s  mount          30 ms\n"
                 "       3.950 s  /sbin/init started (/init took 1450 ms)\n"
                 "kernel modules: 40 loaded, 1 failed\n"
                 "consoles: tty1 ttyS0,115200n8\n"
                 "warnings:\n"
                 "  macula.mode=x: expected live, install, disk, recovery or shell\n");
}

TEST_CASE("a live boot names its media, and a boot without warnings says so") {
  BootReport r;
  r.mode = "live";
  r.mode_source = "detected";
  r.media = "/dev/sr0";
  r.media_type = "iso9660";
  auto text = boot_timeline(to_json(r), "boot.json");
  REQUIRE(text);
  CHECK_THAT(*text, Catch::Contains("live boot (mode detected) from /dev/sr0 (iso9660)\n") &&
                        Catch::Contains("no warnings\n") && !Catch::Contains("slot"));
}

TEST_CASE("a file that is not a boot report is an error naming it") {
  auto text = boot_timeline("{\"mode\": \"live\"}", "/run/macula/boot.json");
  REQUIRE_FALSE(text);
  CHECK_THAT(text.error().message, Catch::StartsWith("/run/macula/boot.json: no timings_ms"));
  CHECK_FALSE(boot_timeline("not json", "boot.json"));
}

}  // namespace
}  // namespace macula
