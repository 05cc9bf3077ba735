#include "persistence/stick.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fd.h"
#include "common/loop_device.h"

namespace macula {

Result<Stick> inspect_stick(const std::string& device) {
  UniqueFd fd(::open(device.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return fail_errno(device);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return fail_errno("stat " + device);
  Stick stick{.device = device};
  if (S_ISBLK(st.st_mode)) {
    if (::ioctl(fd.get(), BLKGETSIZE64, &stick.size) != 0) return fail_errno("size of " + device);
    int ro = 0;
    stick.read_only = ::ioctl(fd.get(), BLKROGET, &ro) == 0 && ro != 0;
  } else if (S_ISREG(st.st_mode)) {
    stick.size = static_cast<std::uint64_t>(st.st_size);
  } else {
    return fail(device + ": expected a disk (such as /dev/sdb) or a disk image file");
  }
  std::string head(kImageHeadSize, '\0');
  if (::pread(fd.get(), head.data(), head.size(), 0) != static_cast<ssize_t>(head.size()))
    return fail(device + ": too small to hold a MaculaOS image");
  auto end = image_end(head, device);
  if (!end) return fail(end.error());
  stick.image_end = *end;
  return stick;
}

FilesystemAt persistence_on(const Stick& stick) {
  return probe_filesystem_at(stick.device, stick.persistence_offset(), 0);
}

Result<void> make_persistence(const Stick& stick, const PersistRegion& region, const ToolRunner& run) {
  if (region.offset < stick.image_end) return fail(stick.device + ": persistence would overwrite the image");
  auto loop = LoopDevice::attach(stick.device, {.offset = region.offset, .size = region.size});
  if (!loop) return fail("persistence on " + stick.device, loop.error());
  if (auto r = run({"/sbin/mkfs.ext4", "-F", "-q", "-L", std::string(kIncompletePersistLabel), loop->path()}); !r)
    return fail("persistence on " + stick.device, r.error());
  ::sync();
  if (auto r = run({"/sbin/e2label", loop->path(), std::string(kPersistLabel)}); !r)
    return fail("persistence on " + stick.device, r.error());
  ::sync();
  return {};
}

}  // namespace macula
