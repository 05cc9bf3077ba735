#include "config/nocloud_trust.h"

#include <catch2/catch.hpp>

#include "config/config_test_tree.h"

namespace macula {
namespace {

using Sources = std::optional<std::vector<std::string>>;

SeedFacts facts(bool installed, bool configured, Sources sources = std::nullopt) {
  return {.installed = installed, .configured = configured, .data_sources = std::move(sources)};
}

TEST_CASE("a seed configures a live boot and an installed node that nothing has configured") {
  CHECK_FALSE(seeds_refused(facts(false, false)));
  CHECK_FALSE(seeds_refused(facts(false, true)));  // live media: cloud-init's default
  CHECK_FALSE(seeds_refused(facts(true, false)));
}

TEST_CASE("a configured installed node reads a seed only when its config lists nocloud") {
  CHECK(seeds_refused(facts(true, true)) ==
        "the node is configured and maculaos.data_sources does not list nocloud");
  CHECK_FALSE(seeds_refused(facts(true, true, std::vector<std::string>{"nocloud"})));
  CHECK_FALSE(seeds_refused(facts(true, true, std::vector<std::string>{"cdrom"})));
}

TEST_CASE("data_sources set to none turns seeds off everywhere, live media too") {
  const SeedFacts live = facts(false, false, std::vector<std::string>{});
  CHECK(seeds_refused(live) == "maculaos.data_sources does not list nocloud");
  CHECK(seeds_refused(facts(true, false, std::vector<std::string>{})));
}

TEST_CASE("an installer's config.yaml of nothing does not make a node configured, one key or a broken file does") {
  CHECK_FALSE(sets_anything(""));
  CHECK_FALSE(sets_anything("\n"));
  CHECK_FALSE(sets_anything("{}\n"));
  CHECK_FALSE(sets_anything("# nothing yet\n"));
  CHECK(sets_anything("hostname: edge-1\n"));
  CHECK(sets_anything("maculaos: {password: x}\n"));
  CHECK(sets_anything("hostname: [\n"));  // a person wrote it
}

TEST_CASE("only iso9660 and vfat file systems are mounted as seeds") {
  CHECK_FALSE(seed_type_refused("iso9660"));
  CHECK_FALSE(seed_type_refused("vfat"));
  CHECK(seed_type_refused("ext4") == "a ext4 file system: expected iso9660 or vfat");
  CHECK(seed_type_refused("") == "a file system of no known type: expected iso9660 or vfat");
}

TEST_CASE("a seed's instance is meta-data's instance-id, and a seed without one is named") {
  CHECK(seed_instance_id("instance-id: iid-42\nlocal-hostname: n\n", "meta-data") == "iid-42");
  auto none = seed_instance_id("local-hostname: n\n", "/dev/sr1: meta-data");
  REQUIRE_FALSE(none);
  CHECK(none.error().message == "/dev/sr1: meta-data: no instance-id: expected one (cloud-init's NoCloud needs it)");
  auto broken = seed_instance_id("instance-id: [\n", "meta-data");
  REQUIRE_FALSE(broken);
  CHECK_THAT(broken.error().message, Catch::StartsWith("meta-data:"));
}

TEST_CASE("data_sources is read as the config sets it, unset apart from empty") {
  CHECK_FALSE(data_sources(parsed("hostname: a\n")));
  CHECK(data_sources(parsed("maculaos: {data_sources: []}\n")) == std::vector<std::string>{});
  CHECK(data_sources(parsed("maculaos: {data_sources: [nocloud]}\n")) == std::vector<std::string>{"nocloud"});
}

}  // namespace
}  // namespace macula
