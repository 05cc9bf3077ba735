#include "upgrade/upgrade_sequence.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <map>

#include "common/json_fields.h"
#include "common/sha256.h"

namespace macula {

namespace {

constexpr const char* kServer = "https://releases.test/stable/";
const std::string kManifest = std::string(kServer) + "manifest.json";
constexpr const char* kStandbyDir = "/standby";

std::string sha256_of(std::string_view bytes) {
  Sha256 hash;
  hash.update(std::as_bytes(std::span(bytes.data(), bytes.size())));
  return hash.hex();
}

std::string to_text(const BootChange& change) {
  static constexpr const char* kKinds[] = {"start_trial", "mark_good", "mark_bad", "make_primary", "clear"};
  std::string text = std::string(kKinds[static_cast<int>(change.kind)]) + " " + std::string(to_string(change.slot));
  return change.detail.empty() ? text : text + " " + change.detail;
}

// A node in memory: its boot state, a release server and the standby slot's files. Every
// effect is logged in order in `events` ("what argument"); an effect whose event starts with
// `fail_at` fails instead, naming itself.
class FakeNode final : public UpgradeSystem {
 public:
  BootState state = installed_state("0.1.0");
  std::optional<Slot> booted = Slot::a;
  bool boot_view_readable = true;
  std::map<std::string, std::string> served;  // location -> bytes
  std::map<std::string, std::string> disk;    // path in the mounted slot -> bytes
  std::string torn_file;                      // its bytes land on disk with the first one changed
  std::string fail_at;
  bool runs_k3s = false;  // setup installed k3s here
  std::vector<std::string> events;
  std::vector<std::string> said;

  // What the trusted key (release.pem) makes over data.
  static std::string sign(std::string_view data) { return "release.pem over " + sha256_of(data); }

  Result<void> effect(const std::string& event) {
    events.push_back(event);
    if (!fail_at.empty() && event.starts_with(fail_at)) return fail(event + ": failed (fake)");
    return {};
  }

  const std::string& device(Slot slot) const { return slot == Slot::a ? kDeviceA : kDeviceB; }

  Result<std::unique_ptr<BootSession>> open_boot_state() override {
    if (auto r = effect("lock"); !r) return fail(r.error());
    return std::make_unique<Session>(*this);
  }
  Result<BootView> read_boot_view() override {
    if (!boot_view_readable) return fail("no installed disk (fake)");
    return BootView{state, {}, booted};
  }
  Result<std::string> read_resource(const std::string& location, std::uint64_t max_bytes) override {
    auto it = served.find(location);
    if (it == served.end()) return fail(ErrorKind::not_found, location + ": HTTP 404");
    if (it->second.size() > max_bytes) return fail(location + ": too large");
    return it->second;
  }
  Result<std::string> verify_signature(std::string_view data, std::string_view signature) override {
    if (signature != sign(data))
      return fail(ErrorKind::verification, "the signature matches none of the 1 key(s) in /etc/maculaos/keys");
    return std::string("release.pem");
  }
  void detach_stale_mount() override { events.push_back(std::string("detach ") + kStandbyDir); }
  Result<void> make_file_system(const std::string& device, std::string_view label) override {
    return effect("mkfs " + device + " " + std::string(label));
  }
  Result<std::unique_ptr<Held>> mount_standby(const std::string& device) override {
    if (auto r = effect("mount " + device + " " + kStandbyDir); !r) return fail(r.error());
    return std::make_unique<Mount>(*this);
  }
  Result<CopiedFile> write_artifact(const Artifact& a, const std::string& location, const std::string& path) override {
    if (auto r = effect("write " + path); !r) return fail(r.error());
    auto bytes = read_resource(location, a.size);  // the sink refuses more than the manifest's size
    if (!bytes) return fail(bytes.error());
    disk[path] = *bytes;
    if (a.name == torn_file) disk[path][0] ^= 1;
    return CopiedFile{a.name, bytes->size(), sha256_of(*bytes)};
  }
  Result<std::string> sha256_from_disk(const std::string& path) override {
    if (auto r = effect("read back " + path); !r) return fail(r.error());
    return sha256_of(disk.at(path));
  }
  Result<void> write_slot_manifest(const std::string& slot_dir, const std::string& version,
                                   std::span<const CopiedFile> files) override {
    if (auto r = effect("slot.json " + slot_dir + " " + version); !r) return r;
    for (const CopiedFile& f : files) disk[slot_dir + "/slot.json"] += f.name + " ";
    return {};
  }
  Result<std::optional<std::string>> k3s_staging_dir(const std::string& version) override {
    if (!runs_k3s) return std::optional<std::string>();
    if (auto r = effect("k3s dir " + version); !r) return fail(r.error());
    return std::optional<std::string>("/setup/k3s-" + version);
  }
  Result<void> move_file(const std::string& from, const std::string& to) override {
    if (auto r = effect("move " + from + " " + to); !r) return r;
    disk[to] = disk.at(from);
    disk.erase(from);
    return {};
  }
  void sync() override { events.push_back("sync"); }
  Result<void> reboot() override { return effect("reboot"); }
  void say(const std::string& line) override { said.push_back(line); }

  // The events that change a disk: the boot state, the standby slot.
  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const std::string& e : events)
      for (const char* kind : {"commit ", "mkfs ", "write ", "slot.json "})
        if (e.starts_with(kind)) out.push_back(e);
    return out;
  }
  std::vector<std::string> commits() const {
    std::vector<std::string> out;
    for (const std::string& e : events)
      if (e.starts_with("commit ")) out.push_back(e.substr(7));
    return out;
  }

 private:
  const std::string kDeviceA = "/dev/vda3";
  const std::string kDeviceB = "/dev/vda4";

  class Session final : public BootSession {
   public:
    explicit Session(FakeNode& node) : node_(node) {}
    ~Session() override { node_.events.push_back("unlock"); }
    const BootState& state() const override { return node_.state; }
    std::optional<Slot> booted() const override { return node_.booted; }
    const std::string& slot_device(Slot slot) const override { return node_.device(slot); }
    Result<BootState> commit(const BootChange& change) override {
      auto next = next_state(node_.state, change);
      if (!next) return next;  // refused: nothing written
      if (auto r = node_.effect("commit " + to_text(change)); !r) return fail(r.error());
      node_.state = *next;
      return next;
    }

   private:
    FakeNode& node_;
  };

  class Mount final : public Held {
   public:
    explicit Mount(FakeNode& node) : node_(node) {}
    ~Mount() override { node_.events.push_back(std::string("unmount ") + kStandbyDir); }
    const std::string& path() const override { return path_; }

   private:
    FakeNode& node_;
    const std::string path_ = kStandbyDir;
  };
};

struct Release {
  std::string version = "0.2.0";
  std::string channel = "stable";
  std::map<std::string, std::string> files = {
      {"rootfs.squashfs", "the root image"}, {"vmlinuz", "the kernel"}, {"initrd.zst", "the initramfs"}};
  std::string format = "1";
  std::map<std::string, std::string> k3s_files = {};  // carried: under k3s/ on the server
};

constexpr const char* kCarriedK3s = "v1.31.5+k3s1";

std::string artifacts_json(const std::map<std::string, std::string>& files, const std::string& dir) {
  std::string artifacts;
  for (const auto& [name, bytes] : files)
    artifacts += std::string(artifacts.empty() ? "" : ", ") + R"({"name": ")" + name + R"(", "url": ")" + dir + name +
                 R"(", "compression": "none", "size": )" + std::to_string(bytes.size()) + R"(, "sha256": ")" +
                 sha256_of(bytes) + R"("})";
  return "[" + artifacts + "]";
}

std::string manifest_json(const Release& r) {
  const std::string k3s = r.k3s_files.empty() ? std::string()
                                              : R"(, "k3s": {"version": ")" + std::string(kCarriedK3s) +
                                                    R"(", "files": )" + artifacts_json(r.k3s_files, "k3s/") + "}";
  return R"({"format": )" + r.format + R"(, "version": ")" + r.version + R"(", "channel": ")" + r.channel +
         R"(", "artifacts": )" + artifacts_json(r.files, "") + k3s + "}";
}

// The release on the server, signed by the trusted key.
void publish(FakeNode& node, const Release& r) {
  const std::string json = manifest_json(r);
  node.served[kManifest] = json;
  node.served[kManifest + ".sig"] = FakeNode::sign(json);
  for (const auto& [name, bytes] : r.files) node.served[kServer + name] = bytes;
  for (const auto& [name, bytes] : r.k3s_files) node.served[std::string(kServer) + "k3s/" + name] = bytes;
}

// A release carrying the k3s its image pins: the binary and its sums file.
Release release_with_k3s() {
  Release r;
  r.k3s_files = {{"k3s", "the k3s binary"}, {"sha256sum-amd64.txt", "the k3s sums"}};
  return r;
}

const ReleaseSource kSource{.manifest = kManifest, .channel = "stable"};

// A node running 0.1.0 from slot a whose slot b holds an older, good version: an upgrade must
// clear it first.
FakeNode node_with_old_standby() {
  FakeNode node;
  node.state.b = {SlotHealth::good, "0.0.9"};
  publish(node, Release{});
  return node;
}

std::ptrdiff_t index_of(const std::vector<std::string>& events, const std::string& event) {
  const auto it = std::ranges::find(events, event);
  REQUIRE(it != events.end());
  return it - events.begin();
}

}  // namespace

TEST_CASE("an upgrade clears the standby slot, fills it, reads it back, and only then puts it on trial") {
  FakeNode node = node_with_old_standby();
  const BootState before = node.state;
  REQUIRE(apply_upgrade(node, kSource, {}));

  const std::vector<std::string> expected = {
      "lock",
      "detach /standby",
      "commit clear b",
      "mkfs /dev/vda4 MACULAOS_B",
      "mount /dev/vda4 /standby",
      "write /standby/rootfs.squashfs",
      "write /standby/vmlinuz",
      "write /standby/initrd.zst",
      "read back /standby/rootfs.squashfs",
      "read back /standby/vmlinuz",
      "read back /standby/initrd.zst",
      "slot.json /standby 0.2.0",
      "unmount /standby",
      "sync",
      "commit start_trial b 0.2.0",
      "unlock",
  };
  CHECK(node.events == expected);
  CHECK(node.state.trial == Slot::b);
  CHECK(node.state.b == SlotInfo{SlotHealth::fresh, "0.2.0"});
  CHECK(node.state.primary == Slot::a);
  CHECK(node.state.a == before.a);
  CHECK(node.said == std::vector<std::string>{
                         "release 0.2.0 (channel stable), signed by release.pem",
                         "upgrade: making the file system of slot b on /dev/vda4",
                         "upgrade: rootfs.squashfs verified on disk (sha256 " + sha256_of("the root image") + ")",
                         "upgrade: vmlinuz verified on disk (sha256 " + sha256_of("the kernel") + ")",
                         "upgrade: initrd.zst verified on disk (sha256 " + sha256_of("the initramfs") + ")",
                         "upgrade: slot b holds 0.2.0, verified; it boots next, on trial (3 tries, then back to "
                         "slot a)",
                     });
}

TEST_CASE("an upgrade never writes the running slot, from either slot") {
  for (Slot running : {Slot::a, Slot::b}) {
    FakeNode node;
    node.booted = running;
    node.state.primary = running;
    node.state.info(running) = {SlotHealth::good, "0.1.0"};
    node.state.info(other(running)) = {SlotHealth::bad, "0.0.9"};
    publish(node, Release{});
    REQUIRE(apply_upgrade(node, kSource, {}));
    const std::string& running_device = node.device(running);
    for (const std::string& e : node.events) CHECK(e.find(running_device) == std::string::npos);
    const std::string standby(to_string(other(running)));
    CHECK(node.commits() == std::vector<std::string>{"clear " + standby, "start_trial " + standby + " 0.2.0"});
    CHECK(node.state.info(running) == SlotInfo{SlotHealth::good, "0.1.0"});
  }
}

TEST_CASE("the order of an upgrade's writes: clear before the first byte, trial after every read-back") {
  FakeNode node = node_with_old_standby();
  REQUIRE(apply_upgrade(node, kSource, {}));
  const auto& e = node.events;
  const auto clear = index_of(e, "commit clear b");
  const auto trial = index_of(e, "commit start_trial b 0.2.0");
  for (size_t i = 0; i < e.size(); ++i) {
    const bool changes_slot = e[i].starts_with("mkfs ") || e[i].starts_with("write ") || e[i].starts_with("slot.json ");
    if (changes_slot) CHECK(static_cast<std::ptrdiff_t>(i) > clear);
    if (e[i].starts_with("read back ") || changes_slot || e[i].starts_with("unmount ") || e[i] == "sync")
      CHECK(static_cast<std::ptrdiff_t>(i) < trial);
  }
  CHECK(index_of(e, "lock") < clear);
  CHECK(trial < index_of(e, "unlock"));  // the lock is held from the clear to the trial
}

TEST_CASE("an empty standby slot is not cleared again") {
  FakeNode node;
  publish(node, Release{});
  REQUIRE(apply_upgrade(node, kSource, {}));
  CHECK(node.commits() == std::vector<std::string>{"start_trial b 0.2.0"});
}

TEST_CASE("a standby slot on trial is cleared, though its info is empty") {
  FakeNode node;
  node.booted = Slot::a;
  node.state.trial = Slot::b;  // no transition makes this, but a clear would take it off trial
  publish(node, Release{});
  REQUIRE(apply_upgrade(node, kSource, {}));
  CHECK(node.commits() == std::vector<std::string>{"clear b", "start_trial b 0.2.0"});
}

TEST_CASE("a release refused before the standby slot is touched writes nothing") {
  struct Refusal {
    const char* what;
    std::function<void(FakeNode&)> arrange;
    std::string error;
    ErrorKind kind = ErrorKind::failure;  // what a script tells the refusals apart by
  };
  const std::vector<Refusal> refusals = {
      {"the boot state is locked by another command",
       [](FakeNode& n) { n.fail_at = "lock"; },
       "lock: failed (fake)"},
      {"not booted from a slot", [](FakeNode& n) { n.booted.reset(); },
       "not booted from a slot (macula.slot=): nothing to upgrade"},
      {"the running slot still on trial",
       [](FakeNode& n) {
         n.state.primary = Slot::b;
         n.state.trial = Slot::a;
         n.state.a.health = SlotHealth::fresh;
       },
       "the running slot a is still on trial: wait until the boot assessment marks it good", ErrorKind::busy},
      {"no manifest on the server", [](FakeNode& n) { n.served.erase(kManifest); },
       "release manifest: " + kManifest + ": HTTP 404", ErrorKind::not_found},
      {"no signature on the server", [](FakeNode& n) { n.served.erase(kManifest + ".sig"); },
       "release signature: " + kManifest + ".sig: HTTP 404", ErrorKind::not_found},
      {"a signature by a key the node does not trust",
       [](FakeNode& n) { n.served[kManifest + ".sig"] = "stranger.pem over it"; },
       kManifest + " is not signed by a trusted key: the signature matches none of the 1 key(s) in /etc/maculaos/keys",
       ErrorKind::verification},
      {"a manifest changed after it was signed",
       [](FakeNode& n) { n.served[kManifest].replace(n.served[kManifest].find("0.2.0"), 5, "9.9.9"); },
       kManifest + " is not signed by a trusted key: the signature matches none of the 1 key(s) in /etc/maculaos/keys",
       ErrorKind::verification},
      {"a signed manifest that does not parse", [](FakeNode& n) { publish(n, Release{.format = "2"}); },
       kManifest + ": \"format\" must be 1 (a newer release format needs a newer MaculaOS)"},
      {"a release for another channel", [](FakeNode& n) { publish(n, Release{.channel = "beta"}); },
       kManifest + " is for channel 'beta', this node follows 'stable'", ErrorKind::refused},
      {"the running release, replayed", [](FakeNode& n) { publish(n, Release{.version = "0.1.0"}); },
       "release 0.1.0 is not newer than the running 0.1.0 (an old release replayed?): nothing written; "
       "--allow-downgrade installs it anyway",
       ErrorKind::refused},
      {"an older release", [](FakeNode& n) { publish(n, Release{.version = "0.1.0-rc1"}); },
       "release 0.1.0-rc1 is not newer than the running 0.1.0 (an old release replayed?): nothing written; "
       "--allow-downgrade installs it anyway",
       ErrorKind::refused},
      {"a standby slot that is the primary (rolled back, not yet rebooted)",
       [](FakeNode& n) {
         n.booted = Slot::b;
         n.state.b = {SlotHealth::good, "0.1.0"};
       },
       "slot a is the primary: it cannot be overwritten"},
  };
  for (const Refusal& refusal : refusals) {
    DYNAMIC_SECTION(refusal.what) {
      FakeNode node = node_with_old_standby();
      refusal.arrange(node);
      const BootState before = node.state;
      auto r = apply_upgrade(node, kSource, {});
      REQUIRE_FALSE(r);
      CHECK(r.error().message == refusal.error);
      CHECK(r.error().kind == refusal.kind);
      CHECK(node.writes().empty());
      CHECK(node.state == before);
    }
  }
}

TEST_CASE("allowed a downgrade, an upgrade installs a release that is not newer") {
  FakeNode node = node_with_old_standby();
  publish(node, Release{.version = "0.0.8"});
  REQUIRE(apply_upgrade(node, kSource, {.allow_downgrade = true}));
  CHECK(node.commits() == std::vector<std::string>{"clear b", "start_trial b 0.0.8"});
}

TEST_CASE("a release followed on no channel (--from) is taken from any channel") {
  FakeNode node = node_with_old_standby();
  publish(node, Release{.channel = "beta"});
  REQUIRE(apply_upgrade(node, {.manifest = kManifest}, {}));
  CHECK(node.state.trial == Slot::b);
}

TEST_CASE("a failure while the standby slot is filled leaves it cleared, empty and off trial") {
  struct Failure {
    const char* what;
    std::function<void(FakeNode&)> arrange;
    std::string error;
    ErrorKind kind = ErrorKind::failure;
  };
  const std::string kernel = std::string(kServer) + "vmlinuz";
  const std::vector<Failure> failures = {
      {"mkfs fails", [](FakeNode& n) { n.fail_at = "mkfs"; }, "mkfs /dev/vda4 MACULAOS_B: failed (fake)"},
      {"the mount fails", [](FakeNode& n) { n.fail_at = "mount"; }, "mount /dev/vda4 /standby: failed (fake)"},
      {"an artifact is missing on the server", [&](FakeNode& n) { n.served.erase(kernel); },
       kernel + ": HTTP 404", ErrorKind::not_found},
      {"an artifact is cut short", [&](FakeNode& n) { n.served[kernel] = "the kern"; },
       kernel + ": 8 bytes, the manifest says 10 (truncated)", ErrorKind::verification},
      {"an artifact changed in transit", [&](FakeNode& n) { n.served[kernel] = "the kernal"; },
       kernel + ": SHA-256 " + sha256_of("the kernal") + " differs from the manifest's " + sha256_of("the kernel") +
           " (tampered or corrupt)",
       ErrorKind::verification},
      {"writing an artifact fails", [](FakeNode& n) { n.fail_at = "write /standby/initrd.zst"; },
       "write /standby/initrd.zst: failed (fake)"},
      {"an artifact reads back other than written", [](FakeNode& n) { n.torn_file = "vmlinuz"; },
       "slot b: vmlinuz reads back as " + sha256_of("uhe kernel") + ", not the written " + sha256_of("the kernel"),
       ErrorKind::verification},
      {"reading an artifact back fails", [](FakeNode& n) { n.fail_at = "read back /standby/initrd.zst"; },
       "read back /standby/initrd.zst: failed (fake)"},
      {"slot.json cannot be written", [](FakeNode& n) { n.fail_at = "slot.json"; },
       "slot.json /standby 0.2.0: failed (fake)"},
  };
  for (const Failure& failure : failures) {
    DYNAMIC_SECTION(failure.what) {
      FakeNode node = node_with_old_standby();
      failure.arrange(node);
      auto r = apply_upgrade(node, kSource, {});
      REQUIRE_FALSE(r);
      CHECK(r.error().message == "slot b left empty: " + failure.error);
      CHECK(r.error().kind == failure.kind);
      CHECK(node.commits() == std::vector<std::string>{"clear b"});
      CHECK(node.state.b == SlotInfo{});
      CHECK_FALSE(node.state.trial);
      CHECK(node.state.primary == Slot::a);
      CHECK(node.state.a == SlotInfo{SlotHealth::good, "0.1.0"});
      CHECK(std::ranges::count(node.events, "sync") == 0);
      const bool mounted = !failure.error.starts_with("mkfs ") && !failure.error.starts_with("mount ");
      CHECK(std::ranges::count(node.events, "unmount /standby") == (mounted ? 1 : 0));  // nothing left mounted
    }
  }
}

TEST_CASE("a failure while filling an empty standby slot commits nothing at all") {
  FakeNode node;
  publish(node, Release{});
  node.torn_file = "rootfs.squashfs";
  auto r = apply_upgrade(node, kSource, {});
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::StartsWith("slot b left empty: slot b: rootfs.squashfs reads back as"));
  CHECK(node.commits().empty());
  CHECK(node.state == installed_state("0.1.0"));
}

TEST_CASE("a trial the boot state cannot take leaves the filled slot empty in the state") {
  FakeNode node = node_with_old_standby();
  node.fail_at = "commit start_trial";
  auto r = apply_upgrade(node, kSource, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "commit start_trial b 0.2.0: failed (fake)");
  CHECK(node.state.b == SlotInfo{});
  CHECK_FALSE(node.state.trial);
}

TEST_CASE("a reboot, when asked for, comes once the trial is committed, after a sync") {
  FakeNode node = node_with_old_standby();
  REQUIRE(apply_upgrade(node, kSource, {.reboot = true}));
  const auto& e = node.events;
  CHECK(std::vector(e.end() - 4, e.end()) ==
        std::vector<std::string>{"commit start_trial b 0.2.0", "sync", "reboot", "unlock"});
  CHECK(node.said.back() == "upgrade: rebooting");

  FakeNode refused = node_with_old_standby();
  refused.fail_at = "reboot";
  auto r = apply_upgrade(refused, kSource, {.reboot = true});
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "reboot: reboot: failed (fake)");
  CHECK(refused.state.trial == Slot::b);  // on trial all the same: the next boot tries it
}

TEST_CASE("rollback makes the other slot primary, when it is good") {
  FakeNode node = node_with_old_standby();
  REQUIRE(roll_back(node, false));
  CHECK(node.events == std::vector<std::string>{"lock", "commit make_primary b", "unlock"});
  CHECK(node.state.primary == Slot::b);
  CHECK(node.said == std::vector<std::string>{"upgrade: slot b (version 0.0.9) is primary again; it boots next"});

  FakeNode rebooting = node_with_old_standby();
  REQUIRE(roll_back(rebooting, true));
  CHECK(rebooting.events == std::vector<std::string>{"lock", "commit make_primary b", "sync", "reboot", "unlock"});
}

TEST_CASE("rollback to a slot that is not good, or with no slot booted, is refused and writes nothing") {
  for (SlotHealth health : {SlotHealth::empty, SlotHealth::fresh, SlotHealth::bad}) {
    FakeNode node;
    node.state.b = {health, health == SlotHealth::empty ? "" : "0.0.9"};
    const BootState before = node.state;
    auto r = roll_back(node, true);
    REQUIRE_FALSE(r);
    CHECK(r.error().message ==
          "--rollback: slot b is " + std::string(to_string(health)) + ", not good: it cannot be primary");
    CHECK(node.writes().empty());
    CHECK(node.state == before);
    CHECK(std::ranges::count(node.events, "reboot") == 0);
  }
  FakeNode unbooted = node_with_old_standby();
  unbooted.booted.reset();
  auto r = roll_back(unbooted, false);
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "--rollback: not booted from a slot (macula.slot=)");
  CHECK(unbooted.writes().empty());
}

TEST_CASE("check: 0 when the release is newer, 3 when not, writing nothing") {
  FakeNode node = node_with_old_standby();
  auto newer = check_for_upgrade(node, kSource);
  REQUIRE(newer);
  CHECK(check_exit_status(*newer) == 0);
  CHECK(node.said == std::vector<std::string>{"release 0.2.0 (channel stable), signed by release.pem"});
  CHECK(check_text(*newer) == "current: 0.1.0\navailable: 0.2.0\na newer version is available: maculaos upgrade --apply\n");
  CHECK(node.events.empty());

  publish(node, Release{.version = "0.1.0"});
  auto same = check_for_upgrade(node, kSource);
  REQUIRE(same);
  CHECK(check_exit_status(*same) == kExitNoUpdate);
  CHECK(check_text(*same).ends_with("\nup to date\n"));

  node.booted = Slot::b;  // the version compared is the booted slot's
  auto from_b = check_for_upgrade(node, kSource);
  REQUIRE(from_b);
  CHECK(check_exit_status(*from_b) == 0);
  CHECK(node.events.empty());
}

TEST_CASE("check --json: both versions, the channel and whether the release is newer") {
  FakeNode node = node_with_old_standby();
  auto check = check_for_upgrade(node, kSource);
  REQUIRE(check);
  auto doc = parse_json_object(check_json(*check), "upgrade --check --json");
  REQUIRE(doc);
  CHECK(std::string(field_string(doc->get(), "current")) == "0.1.0");
  CHECK(std::string(field_string(doc->get(), "available")) == "0.2.0");
  CHECK(std::string(field_string(doc->get(), "channel")) == "stable");
  json_object* newer = nullptr;
  REQUIRE(json_object_object_get_ex(doc->get(), "newer", &newer));
  CHECK(json_object_get_boolean(newer));
}

TEST_CASE("check compares with this binary's version when there is no boot state to read") {
  FakeNode node;
  node.state.a.version = "0.0.1";  // not read
  node.boot_view_readable = false;
  publish(node, Release{.version = MACULAOS_VERSION});
  auto r = check_for_upgrade(node, kSource);
  REQUIRE(r);
  CHECK(check_exit_status(*r) == kExitNoUpdate);
  CHECK(r->current == MACULAOS_VERSION);
}

TEST_CASE("check refuses a release that is not signed by a trusted key") {
  FakeNode node = node_with_old_standby();
  node.served[kManifest + ".sig"] = "forged";
  auto r = check_for_upgrade(node, kSource);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::StartsWith(kManifest + " is not signed by a trusted key"));
  CHECK(node.said.empty());
}

TEST_CASE("a release carrying k3s stages it on a k3s node, each file verified, before the standby slot is touched") {
  FakeNode node = node_with_old_standby();
  node.runs_k3s = true;
  publish(node, release_with_k3s());
  REQUIRE(apply_upgrade(node, kSource, {}));
  const std::string dir = std::string("/setup/k3s-") + kCarriedK3s;
  const auto& e = node.events;
  CHECK(index_of(e, "write " + dir + "/k3s.staged") < index_of(e, "move " + dir + "/k3s.staged " + dir + "/k3s"));
  CHECK(index_of(e, "move " + dir + "/sha256sum-amd64.txt.staged " + dir + "/sha256sum-amd64.txt") <
        index_of(e, "commit clear b"));
  CHECK(node.disk.at(dir + "/k3s") == "the k3s binary");
  CHECK(node.disk.at(dir + "/sha256sum-amd64.txt") == "the k3s sums");
  CHECK_FALSE(node.disk.contains(dir + "/k3s.staged"));
  CHECK(std::ranges::count(node.said, "upgrade: k3s v1.31.5+k3s1, which the release's image pins, staged in " + dir +
                                          " (verified)") == 1);
  CHECK(node.state.trial == Slot::b);
}

TEST_CASE("a release carrying k3s stages nothing on a node setup has not given k3s") {
  FakeNode node = node_with_old_standby();
  publish(node, release_with_k3s());
  REQUIRE(apply_upgrade(node, kSource, {}));
  for (const std::string& event : node.events) CHECK(event.find("k3s") == std::string::npos);
  CHECK(std::ranges::count(node.said, "upgrade: the release carries k3s v1.31.5+k3s1: not staged (k3s is not set up "
                                      "on this node, or has this version installed)") == 1);
  CHECK(node.state.trial == Slot::b);
}

TEST_CASE("a carried k3s that differs from the manifest stops the apply before the standby slot is touched") {
  FakeNode node = node_with_old_standby();
  node.runs_k3s = true;
  publish(node, release_with_k3s());
  node.served[std::string(kServer) + "k3s/k3s"] = "the k3s binarY";
  const BootState before = node.state;
  auto r = apply_upgrade(node, kSource, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == ErrorKind::verification);
  CHECK(r.error().message.starts_with("the release's k3s: nothing written to slot b: "));
  CHECK(r.error().message.find("differs from the manifest's") != std::string::npos);
  CHECK(node.state == before);
  for (const std::string& event : node.events) {
    CHECK_FALSE(event.starts_with("commit "));
    CHECK_FALSE(event.starts_with("move "));
  }
  CHECK_FALSE(node.disk.contains(std::string("/setup/k3s-") + kCarriedK3s + "/k3s"));
}

}  // namespace macula
