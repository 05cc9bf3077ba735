#include "common/progress.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

using std::chrono::milliseconds;

TEST_CASE("plain progress lines give bytes, percent, rate and ETA") {
  const std::string line = progress_text("slot a", 50 * 1024 * 1024, 100 * 1024 * 1024, milliseconds(5000), ProgressBar::none);
  CHECK(line == "slot a: 50.0 MiB of 100.0 MiB (50%), 10.0 MiB/s, ETA 5 s");
}

TEST_CASE("a bar on a terminal, no ETA when done or when the total is unknown") {
  CHECK(progress_text("x", 10, 10, milliseconds(1000), ProgressBar::ascii) ==
        "x [##############################] 0.0 MiB of 0.0 MiB (100%), 0.0 MiB/s");
  CHECK(progress_text("x", 1024 * 1024, 0, milliseconds(1000), ProgressBar::ascii) == "x: 1.0 MiB, 1.0 MiB/s");
  CHECK(progress_text("x", 0, 100, milliseconds(0), ProgressBar::none) == "x: 0.0 MiB of 0.0 MiB (0%), 0.0 MiB/s");
}

TEST_CASE("a UTF-8 terminal gets the bar in blocks") {
  CHECK(progress_text("k3s", 52, 100, milliseconds(1000), ProgressBar::blocks) ==
        "k3s \u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
        "\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591\u2591"
        " 0.0 MiB of 0.0 MiB (52%), 0.0 MiB/s, ETA 1 s");
}

TEST_CASE("more bytes than announced keep the bar full instead of throwing") {
  CHECK(progress_text("x", 20, 10, milliseconds(1000), ProgressBar::ascii) ==
        "x [##############################] 0.0 MiB of 0.0 MiB (200%), 0.0 MiB/s");
}

TEST_CASE("a resumed transfer's rate and ETA count only the bytes moved since it resumed") {
  // 90 MiB were already on disk; 5 more arrived in 5 s: 1 MiB/s, 5 MiB to go.
  const std::string line = progress_text("x", 95 * 1024 * 1024, 100 * 1024 * 1024, milliseconds(5000), ProgressBar::none,
                                         90 * 1024 * 1024);
  CHECK(line == "x: 95.0 MiB of 100.0 MiB (95%), 1.0 MiB/s, ETA 5 s");
}

}  // namespace
}  // namespace macula
