// A stick the MaculaOS image was written to, as the system sees it: how big it is, where its
// image ends, what is in the room after it, and making a persistence file system there.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/sys/block_devices.h"
#include "common/result.h"
#include "persistence/stick_layout.h"

namespace macula {

struct Stick {
  std::string device;  // /dev/sda, or an image file
  std::uint64_t size = 0;
  std::uint64_t image_end = 0;
  std::uint64_t partitions_end = 0;  // mbr_partitions_end
  bool read_only = false;

  std::uint64_t persistence_offset() const { return macula::persistence_offset(image_end); }
};

// Reads the device's size and the start of its image. Fails, naming it, for a device that
// cannot be read or holds no MaculaOS image.
Result<Stick> inspect_stick(const std::string& device);

// What is at the stick's persistence offset (an empty type: nothing recognised).
FilesystemAt persistence_on(const Stick& stick);

// Where a new persistence goes: refused, with one line naming the device and ending "nothing
// written", when `there` (what persistence_on found) is a persistence already or another file
// system (a cut-short make is neither: it is made again), when the device is read-only, or
// when plan_region refuses the size.
Result<PersistRegion> plan_new_persistence(const Stick& stick, const FilesystemAt& there, std::string_view size);

// Runs a tool (mkfs.ext4, e2label) given by absolute path: from the running system, or, in
// PID 1, from the root image.
using ToolRunner = std::function<Result<void>(const std::vector<std::string>& argv)>;

// Makes an ext4 file system labelled kPersistLabel in `region`; with `encrypt`, LUKS2 labelled
// so with the ext4 inside, its key sealed to this machine's TPM when it has one, and returns the
// recovery passphrase ("" unencrypted). The label is written last: cut short, the region holds
// nothing taken for persistence, and the next try makes it again. Nothing before
// region.offset is written.
Result<std::string> make_persistence(const Stick& stick, const PersistRegion& region, const ToolRunner& run,
                                     bool encrypt);

}  // namespace macula
