// What a scan of the block devices finds (common/sys/block_devices.h scans them with libblkid):
// plain data, for the decisions made from it (which disk is installed, which is the media).
#pragma once

#include <string>
#include <string_view>

namespace macula {

struct BlockDevice {
  std::string name;   // kernel name: sr0, sda, sda1, nvme0n1p2
  std::string label;  // file-system label, "" if none
  std::string type;   // file-system type from libblkid, "" if none
  bool partition = false;
  std::string partlabel = {};  // GPT partition name, "" if none
  std::string partuuid = {};   // GPT partition GUID (lower case, as libblkid gives it), "" if none
  std::string disk = {};       // the whole disk it is on (its own name for a disk)
};

struct FilesystemAt {
  std::string type;   // "" when nothing was recognised
  std::string label;
};

// What libblkid calls a LUKS volume (an encrypted state or persistence).
inline constexpr std::string_view kLuksType = "crypto_LUKS";

}  // namespace macula
