#include "installer/sys/install_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "ab/boot_state_store.h"
#include "ab/sys/slot_files.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/sys/loop_device.h"
#include "common/sys/mounts.h"
#include "common/process.h"
#include "encryption/sys/luks_volume.h"
#include "encryption/sys/new_volume.h"
#include "ab/sys/verified_copy.h"

namespace macula {

namespace {

namespace fs = std::filesystem;

// What an effect holds (a loop device, a mount, an open mapping), and where it is.
template <class T>
class Holding final : public Held {
 public:
  Holding(T held, std::string path) : held_(std::move(held)), path_(std::move(path)) {}
  const std::string& path() const override { return path_; }

 private:
  T held_;
  std::string path_;
};

template <class T>
std::unique_ptr<Held> holding(T held, std::string path) {
  return std::make_unique<Holding<T>>(std::move(held), std::move(path));
}

}  // namespace

Result<TargetDisk> MachineInstallSystem::inspect_target(const std::string& path) {
  return macula::inspect_target(path);
}

std::vector<MountEntry> MachineInstallSystem::mounts() { return read_mounts(); }

std::vector<std::string> MachineInstallSystem::active_swaps() { return read_active_swaps(); }

Result<std::uint64_t> MachineInstallSystem::file_size(const std::string& path) {
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return fail("stat " + path, ec.value());
  return static_cast<std::uint64_t>(size);
}

bool MachineInstallSystem::confirm(const std::string& device) {
  std::printf("Type 'yes' to erase %s and install: ", device.c_str());
  std::fflush(stdout);
  std::string answer;
  return static_cast<bool>(std::getline(std::cin, answer)) && answer == "yes";
}

void MachineInstallSystem::say(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

Result<std::unique_ptr<Held>> MachineInstallSystem::attach_image(const std::string& image) {
  auto loop = LoopDevice::attach(image, {.partscan = true});
  if (!loop) return fail(loop.error());
  std::string path = loop->path();
  return holding(std::move(*loop), std::move(path));
}

Result<void> MachineInstallSystem::make_dirs(const std::string& path) { return macula::make_dirs(path); }

void MachineInstallSystem::set_mode(const std::string& path, mode_t mode) { ::chmod(path.c_str(), mode); }

Result<void> MachineInstallSystem::run(const std::vector<std::string>& argv, const std::string& input) {
  auto r = run_command(argv, input);
  if (!r) return fail(r.error());
  return {};
}

Result<void> MachineInstallSystem::write_boot_code(const std::string& disk, std::span<const unsigned char> code) {
  UniqueFd fd(::open(disk.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return fail_errno("open " + disk);
  if (::pwrite(fd.get(), code.data(), code.size(), 0) != static_cast<ssize_t>(code.size()))
    return fail_errno("write the boot code of " + disk);
  if (::fsync(fd.get()) != 0) return fail_errno("fsync " + disk);
  return {};
}

// From sysfs, polled: the kernel makes the node a moment after sfdisk re-reads the table.
Result<std::string> MachineInstallSystem::partition_node(const std::string& disk, int number) {
  const std::string name = fs::path(disk).filename();
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::error_code ec;
    for (fs::directory_iterator it("/sys/class/block/" + name, ec), end; !ec && it != end; it.increment(ec)) {
      if (read_file((it->path() / "partition").string()).value_or("") != std::to_string(number) + "\n") continue;
      const std::string node = "/dev/" + it->path().filename().string();
      if (fs::exists(node, ec)) return node;
    }
    ::usleep(100 * 1000);
  }
  return fail(disk + ": partition " + std::to_string(number) + " did not appear within 10 s");
}

Result<void> MachineInstallSystem::make_ext4(const std::string& device, std::string_view label) {
  return macula::make_ext4(device, label);
}

Result<OpenedVolume> MachineInstallSystem::make_encrypted_volume(const std::string& device, std::string_view label,
                                                                 const char* mapping, const std::vector<int>& pcrs) {
  auto made = macula::make_encrypted_volume(device, label, mapping, pcrs);
  if (!made) return fail(made.error());
  std::string path = made->opened.path();
  return OpenedVolume{holding(std::move(made->opened), std::move(path)), std::move(made->recovery_passphrase),
                      std::move(made->without_tpm)};
}

Result<std::unique_ptr<Held>> MachineInstallSystem::mount(const std::string& device, std::string_view fstype,
                                                          const std::string& dir) {
  auto mounted = ScopedMount::mount({device, dir, std::string(fstype), ""});
  if (!mounted) return fail(mounted.error());
  std::string path = mounted->dir();
  return holding(std::move(*mounted), std::move(path));
}

Result<CopiedFile> MachineInstallSystem::copy_verified(const std::string& from, const std::string& to) {
  return macula::copy_verified(from, to);
}

Result<void> MachineInstallSystem::write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                                       std::span<const CopiedFile> files) {
  return macula::write_slot_manifest(slot_dir, version, files);
}

Result<void> MachineInstallSystem::create_boot_state(const std::string& dir, const BootState& state) {
  return BootStateStore(dir).create(state);
}

Result<void> MachineInstallSystem::write_file(const std::string& path, std::string_view content, mode_t mode) {
  return write_file_atomic(path, content, mode);
}

Result<void> MachineInstallSystem::set_luks_label(const std::string& device, std::string_view label) {
  auto volume = LuksVolume::load(device);
  if (!volume) return fail(volume.error());
  return volume->set_label(label);
}

void MachineInstallSystem::sync() { ::sync(); }

}  // namespace macula
