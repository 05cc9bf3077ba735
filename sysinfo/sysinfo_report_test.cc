#include "sysinfo/sysinfo_report.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("sysinfo: one aligned line per fact, unknowns named") {
  SystemFacts facts{.os = "MaculaOS 0.1.0 (lite)", .boot_mode = "disk", .slot = "b", .kernel = "6.1.0-57-amd64",
                    .uptime = std::chrono::seconds(3 * 3600 + 7 * 60 + 5), .memory_total = 2ull << 30,
                    .memory_available = (2ull << 30) - (300ull << 20), .disk_total = 0, .disk_available = 0,
                    .addresses = {"10.0.2.15", "fec0::5054:ff:fe12:3456"}, .hostname = "edge-1",
                    .mesh_roles = {"peer", "gateway"}, .realm = "io.macula", .k3s = "running (k3s version v1.31.4+k3s1)"};
  CHECK(sysinfo_text(facts) ==
        "      OS: MaculaOS 0.1.0 (lite)\n"
        "    Host: edge-1 (http://edge-1.local)\n"
        "    Boot: disk, slot b\n"
        "  Kernel: 6.1.0-57-amd64\n"
        "  Uptime: 3 h 7 min\n"
        "  Memory: 300 MiB of 2.0 GiB used\n"
        "    Disk: unknown\n"
        " Address: 10.0.2.15, fec0::5054:ff:fe12:3456\n"
        "    Mesh: peer, gateway in io.macula\n"
        "     k3s: running (k3s version v1.31.4+k3s1)\n");
  CHECK(sysinfo_text({}).find("      OS: unknown\n    Host: unknown\n    Boot: unknown\n") == 0);
}

TEST_CASE("sysinfo: uptimes in days, hours and minutes") {
  CHECK(uptime_text(std::chrono::seconds(59)) == "0 min");
  CHECK(uptime_text(std::chrono::seconds(3600)) == "1 h 0 min");
  CHECK(uptime_text(std::chrono::seconds(86400 + 2 * 3600 + 5 * 60)) == "1 d 2 h 5 min");
}

TEST_CASE("sysinfo: os-release values, quoted or not, exact keys only") {
  const char* text = "NAME=\"MaculaOS\"\nPRETTY_NAME=\"MaculaOS 0.1.0 (lite)\"\nID=maculaos\nVERSION_ID='0.1.0'\n";
  CHECK(env_value(text, "PRETTY_NAME") == "MaculaOS 0.1.0 (lite)");
  CHECK(env_value(text, "ID") == "maculaos");
  CHECK(env_value(text, "VERSION_ID") == "0.1.0");
  CHECK(env_value(text, "VERSION").empty());
}

TEST_CASE("sysinfo: /proc/meminfo's kB figures in bytes") {
  const char* text = "MemTotal:        1000 kB\nMemFree:          200 kB\nMemAvailable:     512 kB\n";
  CHECK(meminfo_bytes(text, "MemAvailable") == 512 * 1024);
  CHECK(meminfo_bytes(text, "MemTotal") == 1000 * 1024);
  CHECK(meminfo_bytes(text, "Mem") == 0);
}

}  // namespace
}  // namespace macula
