#include "config/config_status_report.h"

#include <catch2/catch.hpp>

#include "common/json_fields.h"

namespace macula {
namespace {

struct Status {
  bool ok = false;
  std::string summary;
  std::vector<std::string> notes;
};

Status parsed(std::string_view text) {
  auto doc = parse_json_object(config_status_json(text), "config status --json");
  REQUIRE(doc);
  Status out;
  json_object *ok = nullptr, *notes = nullptr;
  REQUIRE(json_object_object_get_ex(doc->get(), "ok", &ok));
  out.ok = json_object_get_boolean(ok);
  out.summary = field_string(doc->get(), "summary");
  REQUIRE(json_object_object_get_ex(doc->get(), "notes", &notes));
  for (size_t i = 0; i < json_object_array_length(notes); ++i)
    out.notes.emplace_back(json_object_get_string(json_object_array_get_idx(notes, i)));
  return out;
}

TEST_CASE("config status --json: a clean apply is ok with no notes") {
  const Status s = parsed("config: applied\n");
  CHECK(s.ok);
  CHECK(s.summary == "applied");
  CHECK(s.notes.empty());
}

TEST_CASE("config status --json: errors make it not ok, each note a string of its own") {
  const Status s = parsed(
      "config: applied with errors (maculaos config status)\n"
      "  /var/lib/maculaos/config.yaml:3:5: maculaos.hostname: expected a host name\n"
      "  warning: k3s: no token\n");
  CHECK_FALSE(s.ok);
  CHECK(s.summary == "applied with errors (maculaos config status)");
  CHECK(s.notes == std::vector<std::string>{"/var/lib/maculaos/config.yaml:3:5: maculaos.hostname: expected a host name",
                                            "warning: k3s: no token"});
}

TEST_CASE("config status --json: warnings the network stage added keep an applied boot ok") {
  const Status s = parsed("config: applied\n  warning: macula.config_url: not fetched (none fetched yet)\n");
  CHECK(s.ok);
  CHECK(s.notes.size() == 1);
}

}  // namespace
}  // namespace macula
