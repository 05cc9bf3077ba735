#include "init/boot_report.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

TEST_CASE("boot.json carries the mode, the media, every stage and the warnings") {
  BootReport r;
  r.version = "0.1.0";
  r.kernel = "6.1.0-99-amd64";
  r.mode = "live";
  r.mode_source = "detected";
  r.media = "/dev/sr0";
  r.media_type = "iso9660";
  r.root_image = "/run/macula/media/maculaos/rootfs.squashfs";
  r.init = "/sbin/init";
  r.consoles = {"tty1", "ttyS0,115200n8"};
  r.modules_loaded = 40;
  r.modules_failed = 1;
  r.init_started_ms = 2500;
  r.stages = {{"modules", 300}, {"devices", 120}, {"mount", 30}};
  r.warnings = {"macula.mode=x: expected ..."};
  const std::string json = to_json(r);
  CHECK_THAT(json, Catch::Contains("\"mode\": \"live\"") &&
                       Catch::Contains("\"mode_source\": \"detected\"") &&
                       Catch::Contains("\"device\": \"/dev/sr0\"") &&
                       Catch::Contains("\"init_started\": 2500") &&
                       Catch::Contains("\"modules\": 300") &&
                       Catch::Contains("\"init_total\": 450") &&
                       Catch::Contains("\"loaded\": 40") &&
                       Catch::Contains("\"warnings\": [\"macula.mode=x: expected ...\"]"));
  CHECK(json.ends_with("}\n"));
}

}  // namespace
}  // namespace macula
