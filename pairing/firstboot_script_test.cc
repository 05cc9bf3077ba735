// The first-boot service's OpenRC script (rootfs/overlay/etc/init.d/macula-firstboot): after
// any stop, a KILL included, and before a start that follows a crash, port 80 and the pairing
// cue are closed by the binary's own `pairing close` (the names stay in names/names.h).
#include <catch2/catch.hpp>
#include <regex>

#include "common/files.h"

namespace macula {

TEST_CASE("the first-boot script closes port 80, the cue and the screen after a stop and before a start") {
  const auto script = read_file(std::string(MACULA_SOURCE_DIR) + "/rootfs/overlay/etc/init.d/macula-firstboot");
  REQUIRE(script);
  for (const char* hook : {"stop_post", "start_pre"}) {
    INFO(hook);
    const std::regex runs_close(std::string(hook) + R"(\(\) \{\n[^}]*"\$MACULA_BINARY" pairing close)");
    CHECK(std::regex_search(*script, runs_close));
  }
}

}  // namespace macula
