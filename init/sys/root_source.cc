#include "init/sys/root_source.h"

namespace macula {

std::string device_names(std::span<const BlockDevice> devices) {
  std::string out;
  for (const BlockDevice& d : devices) out += (out.empty() ? "" : ", ") + d.name;
  return out.empty() ? "none" : out;
}

}  // namespace macula
