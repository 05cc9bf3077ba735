// slot.json as a disk could hold it after a torn write, a bad sector or a hand edit: init
// reads it on every installed boot. Nothing may crash, and what parses must write back to a
// text that parses to the same manifest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ab/slot_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto manifest = macula::parse_slot_manifest(text, "slot.json");
  if (!manifest) return 0;
  auto again = macula::parse_slot_manifest(macula::slot_manifest_json(manifest->version, manifest->files), "again");
  if (!again || !(*again == *manifest)) std::abort();
  return 0;
}
