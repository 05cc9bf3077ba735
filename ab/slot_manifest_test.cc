#include "ab/slot_manifest.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

const std::string kSha(64, 'a');

std::vector<CopiedFile> slot_files() {
  return {{"rootfs.squashfs", 111198208, kSha}, {"vmlinuz", 8000000, std::string(64, 'b')}, {"initrd.zst", 4500000, std::string(64, 'c')}};
}

TEST_CASE("slot.json reads back what the installer and the upgrader write") {
  const std::string text = slot_manifest_json("1.2.3", slot_files());
  auto manifest = parse_slot_manifest(text, "slot a/slot.json");
  REQUIRE(manifest);
  CHECK(*manifest == SlotManifest{"1.2.3", slot_files()});
  CHECK(listed_size(*manifest, "rootfs.squashfs") == 111198208u);
  CHECK_FALSE(listed_size(*manifest, "other"));
}

TEST_CASE("slot.json in another order, with fields it does not know, is read") {
  auto manifest = parse_slot_manifest(
      R"({"files": {"initrd.zst": {"sha256": ")" + kSha + R"(", "size": 3}, "vmlinuz": {"size": 2, "sha256": ")" + kSha +
          R"("}, "rootfs.squashfs": {"size": 1, "sha256": ")" + kSha + R"(", "mode": 420}}, "version": "2.0.0", "built": "x"})",
      "s");
  REQUIRE(manifest);
  CHECK(manifest->version == "2.0.0");
  CHECK(manifest->files[0].name == "rootfs.squashfs");
  CHECK(manifest->files[0].size == 1);
}

TEST_CASE("a slot.json that is not whole is one line naming the field") {
  const std::string sha = R"(, "sha256": ")" + kSha + R"("})";
  auto error_of = [](const std::string& text) {
    auto m = parse_slot_manifest(text, "slot.json");
    REQUIRE_FALSE(m);
    return m.error().message;
  };
  CHECK(error_of("") == "slot.json: not valid JSON (continue)");
  CHECK(error_of("[]") == "slot.json: expected a JSON object");
  CHECK(error_of(R"({"files": {}})") == "slot.json: missing \"version\"");
  CHECK(error_of(R"({"version": "1", "files": []})") == "slot.json: missing \"files\" (an object)");
  CHECK(error_of(R"({"version": "1", "files": {"rootfs.squashfs": {"size": 1)" + sha + "}}") ==
        "slot.json: files.vmlinuz: missing (every slot file is listed)");
  CHECK(error_of(R"({"version": "1", "files": {"rootfs.squashfs": {"size": -1)" + sha + "}}") ==
        "slot.json: files.rootfs.squashfs: missing or negative \"size\"");
  CHECK(error_of(R"({"version": "1", "files": {"rootfs.squashfs": {"size": 1, "sha256": "AB"}}})") ==
        "slot.json: files.rootfs.squashfs: \"sha256\" must be 64 lower-case hex digits");
}

}  // namespace
}  // namespace macula
