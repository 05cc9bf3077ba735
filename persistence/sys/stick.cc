#include "persistence/sys/stick.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ab/disk_layout.h"
#include "common/fd.h"
#include "common/sys/loop_device.h"
#include "encryption/sys/luks_volume.h"
#include "encryption/sys/new_volume.h"
#include "common/sys/block_devices.h"

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
  stick.partitions_end = mbr_partitions_end(head);
  return stick;
}

FilesystemAt persistence_on(const Stick& stick) {
  return probe_filesystem_at(stick.device, stick.persistence_offset(), 0);
}

Result<PersistRegion> plan_new_persistence(const Stick& stick, const FilesystemAt& there, std::string_view size) {
  const std::string at = " at " + format_size(stick.persistence_offset());
  if (there.label == kPersistLabel)
    return fail(stick.device + " already has persistence (" + there.type + " " + there.label + at + "); nothing written");
  if (!there.type.empty() && there.label != kIncompletePersistLabel)
    return fail(stick.device + ": the space after the image holds a file system of type " + there.type +
                (there.label.empty() ? "" : ", labelled " + there.label) + at + "; nothing written");
  if (stick.read_only) return fail(stick.device + " is read-only; nothing written");
  return plan_region(stick.device, {stick.image_end, stick.partitions_end, stick.size}, size);
}

namespace {

// LUKS2 on the loop device with the incomplete label (its key sealed to the TPM if there is
// one) and the ext4 inside. Returns the recovery passphrase.
Result<std::string> make_encrypted(const std::string& loop, const ToolRunner& run) {
  auto made = make_encrypted_volume(loop, kIncompletePersistLabel, kNewPersistMapping, {});
  if (!made) return fail(made.error());
  if (auto r = run({"/sbin/mkfs.ext4", "-F", "-q", "-L", std::string(kInnerFilesystemLabel), made->opened.path()}); !r)
    return fail(r.error());
  return std::move(made->recovery_passphrase);
}

// The label that makes it persistence, written last.
Result<void> label_whole(const std::string& loop, bool encrypted, const ToolRunner& run) {
  if (!encrypted) return run({"/sbin/e2label", loop, std::string(kPersistLabel)});
  auto volume = LuksVolume::load(loop);
  if (!volume) return fail(volume.error());
  return volume->set_label(kPersistLabel);
}

}  // namespace

Result<std::string> make_persistence(const Stick& stick, const PersistRegion& region, const ToolRunner& run,
                                     bool encrypt) {
  if (region.offset < stick.image_end) return fail(stick.device + ": persistence would overwrite the image");
  auto loop = LoopDevice::attach(stick.device, {.offset = region.offset, .size = region.size});
  if (!loop) return fail("persistence on " + stick.device, loop.error());
  std::string recovery;
  if (encrypt) {
    auto made = make_encrypted(loop->path(), run);
    if (!made) return fail("persistence on " + stick.device, made.error());
    recovery = std::move(*made);
  } else if (auto r = run({"/sbin/mkfs.ext4", "-F", "-q", "-L", std::string(kIncompletePersistLabel), loop->path()}); !r) {
    return fail("persistence on " + stick.device, r.error());
  }
  ::sync();
  if (auto r = label_whole(loop->path(), encrypt, run); !r) return fail("persistence on " + stick.device, r.error());
  ::sync();
  return recovery;
}

}  // namespace macula
