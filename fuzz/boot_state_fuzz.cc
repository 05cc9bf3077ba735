// GRUB env blocks and the boot state in them: two copies and a counter, as they could be left
// on the ESP by anything (a torn write, a bad disk, a hand edit). Nothing may crash, and what
// decodes must encode again to a block that decodes to the same state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "ab/boot_state.h"
#include "ab/grub_env.h"

namespace {

// Input bytes as up to three blocks of kGrubEnvSize (padded), so most of them are decodable.
std::string block(const std::uint8_t* data, std::size_t size, std::size_t index) {
  const std::size_t start = index * macula::kGrubEnvSize;
  std::string b = "# GRUB Environment Block\n";
  if (start < size) b.append(reinterpret_cast<const char*>(data) + start, std::min(size - start, macula::kGrubEnvSize));
  b.resize(macula::kGrubEnvSize, '#');
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  (void)macula::parse_grub_env(raw);
  const std::string c1 = block(data, size, 0), c2 = block(data, size, 1), counter = block(data, size, 2);
  (void)macula::decode_counter(counter);
  auto picked = macula::pick_state(c1, c2);
  if (!picked) return 0;
  auto again = macula::encode_state(picked->state);
  if (!again) return 0;  // a decoded state too long to write back is refused, not written
  auto back = macula::decode_state(*again);
  if (!back || !(*back == picked->state)) std::abort();
  (void)macula::decide_boot(picked->state, macula::decode_counter(counter));
  return 0;
}
