// maculaos upgrade: fetch a signed release, stream it into the standby slot, verify it on disk,
// and put it on trial; or roll back; or say where things stand. The order keeps a node
// bootable whatever stops it: the running slot is never written, the standby slot is marked
// empty before its first byte changes, and it goes on trial only once read back and verified.
#include "upgrade/upgrade_command.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "ab/boot_context.h"
#include "ab/disk_layout.h"
#include "ab/slot_files.h"
#include "ab/verified_copy.h"
#include "common/args.h"
#include "common/fd.h"
#include "common/files.h"
#include "common/mounts.h"
#include "common/process.h"
#include "config/node_config.h"
#include "net/file_sink.h"
#include "net/resource.h"
#include "upgrade/release_manifest.h"
#include "upgrade/signature.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos upgrade --check|--apply|--rollback|--status [OPTIONS]

A/B upgrades from signed releases (see README, "Releases, keys and upgrades").
  --check             print the running and the available version; exit 0 if a newer one
                      is available, 3 if not, an error's status otherwise (docs/exit-codes.md)
  --apply             verify the release's signature, stream it into the standby slot,
                      read it back and check every SHA-256, then boot it next on trial
                      (3 tries; if it does not boot good, GRUB returns to this slot)
  --allow-downgrade   with --apply: install a release that is not newer than the running one
                      (by default refused: a replayed old release must not take a node back)
  --rollback          make the other slot primary again (it must be good)
  --status [--json]   both slots, the booted one, the trial, and any fallback
Options:
  --from URL|DIR|FILE the release: a manifest URL or file, or the URL or directory that
                      holds manifest.json (default: maculaos.upgrade.url and .channel in
                      /var/lib/maculaos/config.yaml: <url>/<channel>/manifest.json)
  --reboot            reboot when --apply or --rollback is done
  --ca FILE           PEM CA bundle for https (default: the system's)
  --keys DIR          public keys to verify releases with (default /etc/maculaos/keys)
)";

constexpr OptionSpec kOptions[] = {
    {"check", 0, false}, {"apply", 0, false}, {"rollback", 0, false}, {"status", 0, false},
    {"json", 0, false},  {"from", 0, true},   {"reboot", 0, false},   {"ca", 0, true},
    {"keys", 0, true},   {"allow-downgrade", 0, false},
};
constexpr const char* kStandbyMount = "/run/macula/upgrade";
constexpr std::uint64_t kMaxManifestBytes = 1 << 20;
constexpr int kExitNoUpdate = 3;

// Where the manifest is, and which channel it must be on ("" = any).
struct ReleaseSource {
  std::string manifest = {};
  std::string channel = {};
  std::string ca_file = {};
};

Result<ReleaseSource> release_source(const ParsedArgs& p) {
  ReleaseSource src{.ca_file = p.value_or("ca", "")};
  if (p.has("from")) {
    std::string from = p.values.at("from");
    std::error_code ec;
    const bool dir = is_url(from) ? !from.ends_with(".json") : std::filesystem::is_directory(from, ec);
    while (dir && from.ends_with('/')) from.pop_back();
    src.manifest = dir ? from + "/manifest.json" : from;
    return src;
  }
  auto text = read_file(kNodeConfigPath);
  if (!text)
    return fail("no --from, and the release source (maculaos.upgrade.url) cannot be read (the config is root's: sudo)",
                text.error());
  auto settings = upgrade_settings(*text, kNodeConfigPath);
  if (!settings) return fail(settings.error());
  if (settings->url.empty())
    return fail("no release source: give --from, or set maculaos.upgrade.url in " + std::string(kNodeConfigPath));
  src.manifest = settings->url + "/" + settings->channel + "/manifest.json";
  src.channel = settings->channel;
  return src;
}

// The manifest, once its signature has verified with one of our keys (checked before the
// manifest is even parsed).
Result<ReleaseManifest> fetch_release(const ReleaseSource& src, const std::string& keys_dir) {
  const ResourceOptions options{.ca_file = src.ca_file};
  auto manifest = read_resource(src.manifest, options, kMaxManifestBytes);
  if (!manifest) return fail("release manifest", manifest.error());
  auto signature = read_resource(src.manifest + ".sig", options, kMaxManifestBytes);
  if (!signature) return fail("release signature", signature.error());
  auto key = verify_signature(*manifest, *signature, keys_dir);
  if (!key) return fail(src.manifest + " is not signed by a trusted key", key.error());
  auto parsed = parse_manifest(*manifest, src.manifest);
  if (!parsed) return fail(parsed.error());
  if (!src.channel.empty() && parsed->channel != src.channel)
    return fail(ErrorKind::refused,
                src.manifest + " is for channel '" + parsed->channel + "', this node follows '" + src.channel + "'");
  std::printf("release %s (channel %s), signed by %s\n", parsed->version.c_str(), parsed->channel.c_str(),
              key->c_str());
  return parsed;
}

// Downloads one artifact into the slot, decompressing and hashing on the way; checks size and
// SHA-256 against the (signed) manifest.
Result<CopiedFile> write_artifact(const Artifact& a, const ReleaseSource& src, const std::string& slot_dir) {
  const std::string location = resolve_location(src.manifest, a.url);
  const std::string path = slot_dir + "/" + a.name;
  UniqueFd out(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  if (!out) return fail_errno("create " + path);
  FileSink sink(out.get(), path, location, {.zstd = a.zstd, .max_size = a.size});
  auto r = stream_resource(location, {.ca_file = src.ca_file, .progress = "downloading " + a.name},
                           [&](std::span<const std::byte> chunk) { return sink.feed(chunk); });
  if (r) r = sink.finish();
  if (!r) return fail(r.error());
  const CopiedFile file{a.name, sink.size(), sink.sha256()};
  if (file.size != a.size)
    return fail(ErrorKind::verification, location + ": " + std::to_string(file.size) + " bytes, the manifest says " +
                                             std::to_string(a.size) + " (truncated)");
  if (file.sha256 != a.sha256)
    return fail(ErrorKind::verification, location + ": SHA-256 " + file.sha256 + " differs from the manifest's " +
                                             a.sha256 + " (tampered or corrupt)");
  if (::fsync(out.get()) != 0) return fail_errno("fsync " + path);
  return file;
}

// Fills the (already emptied) standby slot: file system, artifacts, read-back, slot.json.
Result<void> fill_slot(const std::string& device, Slot slot, const ReleaseManifest& release, const ReleaseSource& src) {
  std::printf("upgrade: making the file system of slot %s on %s\n", std::string(to_string(slot)).c_str(), device.c_str());
  if (auto r = make_ext4(device, slot_partition(slot).label); !r) return r;
  auto mounted = ScopedMount::mount({device, kStandbyMount, "ext4", ""});
  if (!mounted) return fail(mounted.error());
  std::vector<CopiedFile> files;
  for (const Artifact& a : release.artifacts) {
    auto file = write_artifact(a, src, mounted->dir());
    if (!file) return fail(file.error());
    files.push_back(*file);
  }
  for (const CopiedFile& f : files) {
    auto on_disk = sha256_from_disk(mounted->dir() + "/" + f.name);
    if (!on_disk) return fail(on_disk.error());
    if (*on_disk != f.sha256)
      return fail(ErrorKind::verification, "slot " + std::string(to_string(slot)) + ": " + f.name + " reads back as " +
                                               *on_disk + ", not the written " + f.sha256);
    std::printf("upgrade: %s verified on disk (sha256 %s)\n", f.name.c_str(), f.sha256.c_str());
  }
  return write_slot_manifest(mounted->dir(), release.version, files);
}

Result<void> reboot_if(const ParsedArgs& p) {
  if (!p.has("reboot")) return {};
  ::sync();
  std::puts("upgrade: rebooting");
  std::fflush(stdout);
  auto r = run_command({"reboot"});
  if (!r) return fail("reboot", r.error());
  return {};
}

Result<void> apply(const ParsedArgs& p) {
  auto src = release_source(p);
  if (!src) return fail(src.error());
  auto ctx = BootContext::open();
  if (!ctx) return fail(ctx.error());
  const auto booted = ctx->booted();
  if (!booted) return fail("not booted from a slot (" + std::string(kSlotParam) + "=): nothing to upgrade");
  if (ctx->state().trial == *booted)
    return fail(ErrorKind::busy, "the running slot " + std::string(to_string(*booted)) +
                                     " is still on trial: wait until the boot assessment marks it good");
  auto release = fetch_release(*src, p.value_or("keys", kReleaseKeysDir));
  if (!release) return fail(release.error());
  const std::string& running = ctx->state().info(*booted).version;
  if (compare_versions(release->version, running) <= 0 && !p.has("allow-downgrade"))
    return fail(ErrorKind::refused,
                "release " + release->version + " is not newer than the running " + running +
                    " (an old release replayed?): nothing written; --allow-downgrade installs it anyway");

  const Slot standby = other(*booted);
  detach(kStandbyMount);  // left by an --apply that was killed: the lock is ours now
  if (ctx->state().info(standby) != SlotInfo{} || ctx->state().trial == standby)
    if (auto r = ctx->commit({BootChange::Kind::clear, standby}); !r) return fail(r.error());
  if (auto r = fill_slot(ctx->disk().slot(standby), standby, *release, *src); !r)
    return fail("slot " + std::string(to_string(standby)) + " left empty", r.error());
  ::sync();
  if (auto r = ctx->commit({BootChange::Kind::start_trial, standby, release->version}); !r) return fail(r.error());
  std::printf("upgrade: slot %s holds %s, verified; it boots next, on trial (%d tries, then back to slot %s)\n",
              std::string(to_string(standby)).c_str(), release->version.c_str(), kTrialTries,
              std::string(to_string(*booted)).c_str());
  return reboot_if(p);
}

Result<void> rollback(const ParsedArgs& p) {
  auto ctx = BootContext::open();
  if (!ctx) return fail(ctx.error());
  const auto booted = ctx->booted();
  if (!booted) return fail("--rollback: not booted from a slot (" + std::string(kSlotParam) + "=)");
  const Slot target = other(*booted);
  auto next = ctx->commit({BootChange::Kind::make_primary, target});
  if (!next) return fail("--rollback", next.error());
  std::printf("upgrade: slot %s (version %s) is primary again; it boots next\n", std::string(to_string(target)).c_str(),
              next->info(target).version.c_str());
  return reboot_if(p);
}

Result<int> check(const ParsedArgs& p) {
  auto src = release_source(p);
  if (!src) return fail(src.error());
  std::string current = MACULAOS_VERSION;
  if (auto view = read_boot_view(); view && view->booted) current = view->state.info(*view->booted).version;
  auto release = fetch_release(*src, p.value_or("keys", kReleaseKeysDir));
  if (!release) return fail(release.error());
  const bool newer = compare_versions(release->version, current) > 0;
  std::printf("current: %s\navailable: %s\n%s\n", current.c_str(), release->version.c_str(),
              newer ? "a newer version is available: maculaos upgrade --apply" : "up to date");
  return newer ? 0 : kExitNoUpdate;
}

Result<int> run_upgrade(std::span<const std::string> args) {
  auto p = parse_args("maculaos upgrade", kOptions, args);
  if (!p) return fail(p.error());
  int actions = 0;
  for (const char* a : {"check", "apply", "rollback", "status"}) actions += p->has(a);
  if (actions != 1 || !p->positional.empty())
    return usage_error("expected one of --check, --apply, --rollback, --status (see maculaos upgrade --help)");
  if (p->has("status")) {
    auto view = read_boot_view();
    if (!view) return fail(view.error());
    std::fputs((p->has("json") ? status_json : status_text)(*view).c_str(), stdout);
    return 0;
  }
  if (p->has("check")) return check(*p);
  auto r = p->has("apply") ? apply(*p) : rollback(*p);
  if (!r) return fail(r.error());
  return 0;
}

}  // namespace

Applet upgrade_applet() {
  return {"upgrade", "A/B upgrade from a signed release, rollback, status", kUsage, run_upgrade};
}

}  // namespace macula
