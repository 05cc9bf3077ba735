// The upgrader's effects on this node: its boot state (BootContext), releases read through
// the downloader and verified with the keys in a directory, the standby slot's file system
// made and mounted with the real tools, stdout for what it says (stderr when stdout is JSON).
#pragma once

#include <cstdio>
#include <string>

#include "upgrade/upgrade_sequence.h"

namespace macula {

class NodeUpgradeSystem final : public UpgradeSystem {
 public:
  // ca_file: PEM bundle for https ("" = the system's); keys_dir: the trusted release keys;
  // said: where say() writes.
  NodeUpgradeSystem(std::string ca_file, std::string keys_dir, std::FILE* said = stdout)
      : ca_file_(std::move(ca_file)), keys_dir_(std::move(keys_dir)), said_(said) {}

  Result<std::unique_ptr<BootSession>> open_boot_state() override;
  Result<BootView> read_boot_view() override;
  Result<std::string> read_resource(const std::string& location, std::uint64_t max_bytes) override;
  Result<std::string> verify_signature(std::string_view data, std::string_view signature) override;
  void detach_stale_mount() override;
  Result<void> make_file_system(const std::string& device, std::string_view label) override;
  Result<std::unique_ptr<Held>> mount_standby(const std::string& device) override;
  Result<CopiedFile> write_artifact(const Artifact& artifact, const std::string& location,
                                    const std::string& path) override;
  Result<std::string> sha256_from_disk(const std::string& path) override;
  Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                   std::span<const CopiedFile> files) override;
  Result<std::optional<std::string>> k3s_staging_dir(const std::string& version) override;
  Result<void> move_file(const std::string& from, const std::string& to) override;
  void sync() override;
  Result<void> reboot() override;
  void say(const std::string& line) override;

 private:
  std::string ca_file_;
  std::string keys_dir_;
  std::FILE* said_;
};

}  // namespace macula
