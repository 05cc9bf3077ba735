#include "init/module_plan.h"

#include <catch2/catch.hpp>

namespace macula {
namespace {

constexpr std::string_view kIndex =
    "# name\tpath\tdeps\n"
    "crc32c_generic\tkernel/crypto/crc32c_generic.ko\t-\n"
    "jbd2\tkernel/fs/jbd2/jbd2.ko\t-\n"
    "mbcache\tkernel/fs/mbcache.ko\t-\n"
    "ext4\tkernel/fs/ext4/ext4.ko\tjbd2,mbcache,crc32c_generic\n"
    "usb_common\tkernel/drivers/usb/common/usb-common.ko\t-\n"
    "usbcore\tkernel/drivers/usb/core/usbcore.ko\tusb-common\n"
    "usb_storage\tkernel/drivers/usb/storage/usb-storage.ko\tusbcore\n"
    "loop\tkernel/drivers/block/loop.ko\t-\n";

std::vector<std::string> names(const ModulePlan& plan) {
  std::vector<std::string> out;
  for (const ModuleEntry* e : plan.load) out.push_back(e->name);
  return out;
}

TEST_CASE("the index parses, names normalised to underscores") {
  auto index = parse_module_index(kIndex);
  REQUIRE(index);
  REQUIRE(index->size() == 8);
  CHECK((*index)[3].name == "ext4");
  CHECK((*index)[3].deps == std::vector<std::string>{"jbd2", "mbcache", "crc32c_generic"});
  CHECK((*index)[5].deps == std::vector<std::string>{"usb_common"});
  CHECK((*index)[6].path == "kernel/drivers/usb/storage/usb-storage.ko");
}

TEST_CASE("a plan loads dependencies first, in index order, each once") {
  auto index = parse_module_index(kIndex);
  REQUIRE(index);
  const std::vector<std::string> wanted{"usb-storage", "ext4", "usbcore", "ext4"};
  const ModulePlan plan = plan_module_loads(*index, wanted);
  CHECK(names(plan) == std::vector<std::string>{"crc32c_generic", "jbd2", "mbcache", "ext4",
                                                "usb_common", "usbcore", "usb_storage"});
  CHECK(plan.unknown.empty());
}

TEST_CASE("unknown modules are reported once and do not stop the rest") {
  auto index = parse_module_index(kIndex);
  REQUIRE(index);
  const std::vector<std::string> wanted{"e1000", "loop", "e1000"};
  const ModulePlan plan = plan_module_loads(*index, wanted);
  CHECK(names(plan) == std::vector<std::string>{"loop"});
  CHECK(plan.unknown == std::vector<std::string>{"e1000"});
}

TEST_CASE("a malformed index names the line") {
  auto bad = parse_module_index("loop\tkernel/loop.ko\t-\nbroken line\n");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::StartsWith("module index line 2:"));

  auto order = parse_module_index("ext4\tkernel/ext4.ko\tjbd2\njbd2\tkernel/jbd2.ko\t-\n");
  REQUIRE_FALSE(order);
  CHECK_THAT(order.error().message, Catch::Contains("'jbd2', which is not listed before it"));
}

TEST_CASE("the load list ignores comments and blank lines") {
  CHECK(parse_module_names("# storage\nsd_mod\n\n  usb-storage  # usb sticks\n") ==
        std::vector<std::string>{"sd_mod", "usb_storage"});
}

TEST_CASE("a module listed twice in the index is refused (found by fuzz/module_index_fuzz)") {
  auto twice = parse_module_index("crc16\tcrc16.ko\t-\next4\text4.ko\t-\next4\text4.ko\tcrc16\n");
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message == "module index line 3: ext4 is listed twice");
}

}  // namespace
}  // namespace macula
