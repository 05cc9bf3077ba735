#include "upgrade/auto_check.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

using std::chrono::seconds;

TEST_CASE("the next check: a day and up to an hour after an answer, 5 min doubling to 6 h after failures") {
  CHECK(next_check_delay(0, 0) == seconds(24 * 3600));
  CHECK(next_check_delay(0, 3599) == seconds(24 * 3600 + 3599));
  CHECK(next_check_delay(0, 3600) == seconds(24 * 3600));  // the jitter wraps: never a full hour more
  CHECK(next_check_delay(1, 0) == seconds(5 * 60));
  CHECK(next_check_delay(2, 0) == seconds(10 * 60));
  CHECK(next_check_delay(4, 0) == seconds(40 * 60));
  CHECK(next_check_delay(7, 0) == seconds(320 * 60));
  CHECK(next_check_delay(8, 0) == seconds(6 * 3600));  // 640 min, held to 6 h
  CHECK(next_check_delay(1000, 0) == seconds(6 * 3600));  // no overflow however long it fails
  CHECK(next_check_delay(1, 359) == seconds(5 * 60 + 359));
}

TEST_CASE("a kept check reads back as it was written, with or without the release's date and page") {
  const KeptCheck kept{.check = {"0.1.0", "0.2.0", "stable", true, "2026-12-01T10:00:00Z",
                                 "https://github.com/fixture-org/fixture-os/releases/tag/v0.2.0"},
                       .checked_at = 1'800'000'000};
  auto back = parse_kept_check(kept_check_json(kept), "fixture available.json");
  REQUIRE(back);
  CHECK(back->check.current == "0.1.0");
  CHECK(back->check.available == "0.2.0");
  CHECK(back->check.channel == "stable");
  CHECK(back->check.newer);
  CHECK(back->check.released == kept.check.released);
  CHECK(back->check.notes_url == kept.check.notes_url);
  CHECK(back->checked_at == kept.checked_at);
  const KeptCheck plain{.check = {"0.2.0", "0.2.0", "beta", false}, .checked_at = 5};
  auto plain_back = parse_kept_check(kept_check_json(plain), "fixture available.json");
  REQUIRE(plain_back);
  CHECK_FALSE(plain_back->check.newer);
  CHECK(plain_back->check.released.empty());
}

TEST_CASE("a kept check that was cut short or changed by hand is an error naming the file") {
  auto cut = parse_kept_check(R"({"current": "0.1.0", "available": "0.2.0"})", "fixture available.json");
  REQUIRE_FALSE(cut);
  CHECK(cut.error().text() == "fixture available.json: expected current, available, channel, newer and checked_at");
  CHECK_FALSE(parse_kept_check("{\"current\": ", "fixture available.json"));
}

TEST_CASE("the line people read: the version, channel, day and page, and nothing once the node runs it") {
  const UpgradeCheck kept{"0.1.0", "0.2.0", "stable", true, "2026-12-01T10:00:00Z", "https://fixture.example/v0.2.0"};
  CHECK(available_line(kept, "0.1.0") == "0.2.0 is available (stable), released 2026-12-01: https://fixture.example/v0.2.0");
  CHECK(available_line({"0.1.0", "0.2.0", "stable", true}, "0.1.0") == "0.2.0 is available (stable)");
  CHECK(available_line(kept, "0.2.0").empty());  // upgraded since the check
  CHECK(available_line(kept, "0.3.0").empty());
}

TEST_CASE("upgrade --status says what the kept check found, or when it found nothing newer") {
  const KeptCheck found{.check = {"0.1.0", "0.2.0", "stable", true, "2026-12-01T09:30:00Z", ""},
                        .checked_at = 1'800'000'000};
  CHECK(update_status_line(found, "0.1.0") == "update: 0.2.0 is available (stable), released 2026-12-01\n");
  // the node has since moved to 0.2.0: the kept check is no news
  CHECK(update_status_line(found, "0.2.0") == "update: none newer on stable (checked 2027-01-15 08:00 UTC)\n");
}

}  // namespace
}  // namespace macula
