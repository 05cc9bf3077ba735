#include "ab/disk_layout.h"

#include <charconv>
#include <cstdio>

namespace macula {

namespace {

constexpr std::uint64_t kAlign = kMiB;
constexpr std::uint64_t kBackupGptBytes = 33 * 512;

constexpr const char* kBiosBootType = "21686148-6449-6E6F-744E-656564454649";
constexpr const char* kEspType = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
constexpr const char* kLinuxDataType = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";

std::uint64_t round_up(std::uint64_t v, std::uint64_t to) { return (v + to - 1) / to * to; }

// The state, last, ends at the last whole MiB before the backup GPT.
std::uint64_t state_end(std::uint64_t disk_size) { return (disk_size - kBackupGptBytes) / kAlign * kAlign; }

}  // namespace

std::uint64_t default_slot_size(std::uint64_t payload_bytes) {
  return std::max<std::uint64_t>(1 * kGiB, round_up(2 * payload_bytes, 256 * kMiB));
}

std::uint64_t minimum_disk_size(std::uint64_t slot_size) {
  // The first partition starts at 1 MiB; the end keeps room for the backup GPT.
  return kAlign + kBiosBootSize + kEspSize + 2 * slot_size + kMinStateSize + kAlign;
}

Result<DiskLayout> plan_layout(std::uint64_t disk_size, std::uint64_t slot_size) {
  if (slot_size < kMinSlotSize || slot_size % kAlign != 0)
    return fail("slot size " + format_size(slot_size) + ": expected a whole number of MiB, at least " +
                format_size(kMinSlotSize));
  if (disk_size < minimum_disk_size(slot_size))
    return fail("disk of " + format_size(disk_size) + " is too small: MaculaOS needs at least " +
                format_size(minimum_disk_size(slot_size)) + " with " + format_size(slot_size) +
                " slots");
  DiskLayout layout{disk_size, {}};
  std::uint64_t offset = kAlign;
  auto add = [&](const PartitionRole& role, const char* type, std::uint64_t size) {
    layout.partitions.push_back({role.number, std::string(role.name), type, std::string(role.filesystem),
                                 std::string(role.label), offset, size});
    offset += size;
  };
  add(kBiosBootPartition, kBiosBootType, kBiosBootSize);
  add(kEspPartition, kEspType, kEspSize);
  add(kSlotAPartition, kLinuxDataType, slot_size);
  add(kSlotBPartition, kLinuxDataType, slot_size);
  add(kStatePartition, kLinuxDataType, state_end(disk_size) - offset);
  return layout;
}

std::optional<std::uint64_t> grown_state_size(std::uint64_t disk_size, std::uint64_t state_offset,
                                              std::uint64_t state_size) {
  if (disk_size < kBackupGptBytes + kAlign) return std::nullopt;
  const std::uint64_t end = state_end(disk_size);
  if (end <= state_offset || end - state_offset < state_size + kMinStateGrowth) return std::nullopt;
  return end - state_offset;
}

std::string sfdisk_script(const DiskLayout& layout) {
  std::string s = "label: gpt\nunit: sectors\nsector-size: 512\n\n";
  for (const PartitionPlan& p : layout.partitions) {
    s += "start=" + std::to_string(p.offset / 512) + ", size=" + std::to_string(p.size / 512) +
         ", type=" + p.type_guid + ", name=\"" + p.name + "\"\n";
  }
  return s;
}

std::string format_size(std::uint64_t bytes) {
  if (bytes < kMiB) return std::to_string(bytes) + " bytes";
  if (bytes < kGiB && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + " MiB";
  const bool gib = bytes >= kGiB;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(bytes) / (gib ? kGiB : kMiB));
  std::string n = buf;
  while (n.ends_with('0') && !n.ends_with(".0")) n.pop_back();  // 1.50 -> 1.5, 4.00 -> 4.0
  return n + (gib ? " GiB" : " MiB");
}

Result<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  std::uint64_t scale = 0;
  if (unit.empty()) scale = 1;
  else if (unit == "K" || unit == "KiB") scale = 1024;
  else if (unit == "M" || unit == "MiB") scale = kMiB;
  else if (unit == "G" || unit == "GiB") scale = kGiB;
  else if (unit == "T" || unit == "TiB") scale = 1024 * kGiB;
  if (ec != std::errc() || scale == 0 || value == 0 || value > UINT64_MAX / scale)
    return fail("size '" + std::string(text) + "': expected a number with an optional unit K, M, G or T (e.g. 2G)");
  return value * scale;
}

}  // namespace macula
