#include "upgrade/sys/upgrade_system.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "ab/sys/boot_context.h"
#include "ab/sys/slot_files.h"
#include "ab/sys/verified_copy.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/sys/mounts.h"
#include "common/process.h"
#include "net/file_sink.h"
#include "net/sys/resource.h"
#include "setup/k3s_versions.h"
#include "setup/setup_plan.h"
#include "setup/sys/setup_steps.h"
#include "upgrade/signature.h"
#include "names/names.h"

namespace macula {

namespace {


class LockedBootState final : public BootSession {
 public:
  explicit LockedBootState(BootContext context) : context_(std::move(context)) {}
  const BootState& state() const override { return context_.state(); }
  std::optional<Slot> booted() const override { return context_.booted(); }
  const std::string& slot_device(Slot slot) const override { return context_.disk().slot(slot); }
  Result<BootState> commit(const BootChange& change) override { return context_.commit(change); }

 private:
  BootContext context_;
};

class StandbyMount final : public Held {
 public:
  explicit StandbyMount(ScopedMount mount) : mount_(std::move(mount)) {}
  const std::string& path() const override { return mount_.dir(); }

 private:
  ScopedMount mount_;
};

}  // namespace

Result<std::unique_ptr<BootSession>> NodeUpgradeSystem::open_boot_state() {
  auto context = BootContext::open();
  if (!context) return fail(context.error());
  return std::make_unique<LockedBootState>(std::move(*context));
}

Result<BootView> NodeUpgradeSystem::read_boot_view() { return macula::read_boot_view(); }

Result<std::string> NodeUpgradeSystem::read_resource(const std::string& location, std::uint64_t max_bytes) {
  return macula::read_resource(location, {.ca_file = ca_file_}, max_bytes);
}

Result<std::string> NodeUpgradeSystem::verify_signature(std::string_view data, std::string_view signature) {
  return macula::verify_signature(data, signature, keys_dir_);
}

void NodeUpgradeSystem::detach_stale_mount() { detach(kStandbyMount); }

Result<void> NodeUpgradeSystem::make_file_system(const std::string& device, std::string_view label) {
  return make_ext4(device, label);
}

Result<std::unique_ptr<Held>> NodeUpgradeSystem::mount_standby(const std::string& device) {
  auto mounted = ScopedMount::mount({device, kStandbyMount, "ext4", ""});
  if (!mounted) return fail(mounted.error());
  return std::make_unique<StandbyMount>(std::move(*mounted));
}

// Decompressed and hashed on the way: the file is checked without being read again.
Result<CopiedFile> NodeUpgradeSystem::write_artifact(const Artifact& a, const std::string& location,
                                                     const std::string& path) {
  UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out) return fail_errno("create " + path);
  FileSink sink(out.get(), path, location, {.zstd = a.zstd, .max_size = a.size});
  auto r = macula::stream_resource(location, {.ca_file = ca_file_, .progress = "downloading " + a.name},
                                   [&](std::span<const std::byte> chunk) { return sink.feed(chunk); });
  if (r) r = sink.finish();
  if (!r) return fail(r.error());
  if (::fsync(out.get()) != 0) return fail_errno("fsync " + path);
  return CopiedFile{a.name, sink.size(), sink.sha256()};
}

Result<std::string> NodeUpgradeSystem::sha256_from_disk(const std::string& path) {
  return macula::sha256_from_disk(path);
}

Result<void> NodeUpgradeSystem::write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                                    std::span<const CopiedFile> files) {
  return macula::write_slot_manifest(slot_dir, version, files);
}

Result<std::optional<std::string>> NodeUpgradeSystem::k3s_staging_dir(const std::string& version) {
  if (!k3s_set_up() || ::access(k3s_version_binary(version).c_str(), X_OK) == 0) return std::optional<std::string>();
  std::string dir = setup_download_dir("k3s", version);
  if (auto r = make_directory(kSetupDir, 0700); !r) return fail(r.error());
  if (auto r = make_directory(dir, 0700); !r) return fail(r.error());
  return std::optional<std::string>(std::move(dir));
}

Result<void> NodeUpgradeSystem::move_file(const std::string& from, const std::string& to) {
  return rename_durably(from, to);
}

void NodeUpgradeSystem::sync() { ::sync(); }

Result<void> NodeUpgradeSystem::reboot() {
  std::fflush(stdout);
  auto r = run_command({"reboot"});
  if (!r) return fail(r.error());
  return {};
}

void NodeUpgradeSystem::say(const std::string& line) {
  std::fputs(line.c_str(), said_);
  std::fputc('\n', said_);
}

}  // namespace macula
