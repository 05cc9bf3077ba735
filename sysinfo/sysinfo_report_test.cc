#include "sysinfo/sysinfo_report.h"

#include <catch2/catch.hpp>

#include "common/json_fields.h"

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
  CHECK(sysinfo_text({}).find("Update:") == std::string::npos);  // none kept, or not newer: no line
  facts.update = "0.2.0 is available (stable), released 2026-12-01";
  CHECK(sysinfo_text(facts).ends_with(
      "     k3s: running (k3s version v1.31.4+k3s1)\n"
      "  Update: 0.2.0 is available (stable), released 2026-12-01 (sudo maculaos upgrade --apply --reboot)\n"));
}

TEST_CASE("sysinfo --json: each fact as a field, sizes in bytes, lists as arrays") {
  const SystemFacts facts{.os = "MaculaOS 0.1.0 (lite)", .boot_mode = "disk", .slot = "b", .kernel = "6.1.0",
                          .uptime = std::chrono::seconds(3725), .memory_total = 2ull << 30, .memory_available = 1ull << 30,
                          .disk_total = 8ull << 30, .disk_available = 5ull << 30, .addresses = {"10.0.2.15", "fec0::1"},
                          .hostname = "edge-1", .mesh_roles = {"peer"}, .realm = "io.macula", .k3s = "not running"};
  auto doc = parse_json_object(sysinfo_json(facts), "sysinfo --json");
  REQUIRE(doc);
  json_object* o = doc->get();
  CHECK(std::string(field_string(o, "os")) == "MaculaOS 0.1.0 (lite)");
  CHECK(std::string(field_string(o, "hostname")) == "edge-1");
  CHECK(std::string(field_string(o, "boot_mode")) == "disk");
  CHECK(std::string(field_string(o, "slot")) == "b");
  CHECK(std::string(field_string(o, "realm")) == "io.macula");
  CHECK(std::string(field_string(o, "k3s")) == "not running");
  std::uint64_t n = 0;
  CHECK((field_u64(o, "uptime_seconds", n) && n == 3725));
  json_object *memory = nullptr, *disk = nullptr, *addresses = nullptr, *roles = nullptr;
  REQUIRE(json_object_object_get_ex(o, "memory", &memory));
  CHECK((field_u64(memory, "total_bytes", n) && n == 2ull << 30));
  CHECK((field_u64(memory, "available_bytes", n) && n == 1ull << 30));
  REQUIRE(json_object_object_get_ex(o, "disk", &disk));
  CHECK((field_u64(disk, "available_bytes", n) && n == 5ull << 30));
  REQUIRE(json_object_object_get_ex(o, "addresses", &addresses));
  REQUIRE(json_object_array_length(addresses) == 2);
  CHECK(std::string(json_object_get_string(json_object_array_get_idx(addresses, 1))) == "fec0::1");
  REQUIRE(json_object_object_get_ex(o, "mesh_roles", &roles));
  CHECK(json_object_array_length(roles) == 1);
  // nothing known: still every field, empty
  auto empty = parse_json_object(sysinfo_json({}), "sysinfo --json");
  REQUIRE(empty);
  CHECK(std::string(field_string(empty->get(), "os")).empty());
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
