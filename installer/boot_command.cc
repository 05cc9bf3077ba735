#include "installer/boot_command.h"

#include <sys/mount.h>

#include <cstdio>

#include "common/args.h"
#include "common/block_devices.h"
#include "common/files.h"
#include "common/json.h"
#include "common/mounts.h"
#include "init/cmdline.h"
#include "installer/boot_state_store.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos boot COMMAND

The A/B boot state on the ESP of the disk MaculaOS runs from (see README, "The boot state").
  status [--json]           both slots, the primary, the trial and its tries, the booted slot
  mark-good [a|b]           the slot (default: the booted one) is good; a trial slot becomes primary
  mark-bad a|b [--why TEXT] the slot is bad; if it was primary, the other (good) one takes over
  set-next a|b              boot that slot next, on trial (3 tries), then fall back
Every change is written to the copy of the state that is not current, so a power cut keeps
either the old or the new state.
)";

constexpr OptionSpec kOptions[] = {{"json", 0, false}, {"why", 0, true}};
constexpr const char* kEspMount = "/run/macula/esp";

// The ESP of the disk holding MACULAOS_STATE, mounted for the command's duration.
class EspMount {
 public:
  static Result<EspMount> open() {
    if (is_mountpoint(kEspMount)) return EspMount(false);
    const std::vector<BlockDevice> devices = scan_block_devices();
    const BlockDevice* state = nullptr;
    for (const BlockDevice& d : devices)
      if (d.label == "MACULAOS_STATE") state = &d;
    if (!state) return fail("boot: no MACULAOS_STATE file system: this is not an installed MaculaOS");
    for (const BlockDevice& d : devices) {
      if (d.partlabel != "esp" || d.disk != state->disk) continue;
      if (auto r = mount_with_libmount({"/dev/" + d.name, kEspMount, "vfat", ""}); !r)
        return fail("boot: " + r.error().text());
      return EspMount(true);
    }
    return fail("boot: no partition named esp on " + state->disk);
  }
  EspMount(EspMount&& o) noexcept : mounted_(std::exchange(o.mounted_, false)) {}
  ~EspMount() {
    if (mounted_) ::umount2(kEspMount, 0);
  }
  BootStateStore store() const { return BootStateStore(std::string(kEspMount) + "/maculaos"); }

 private:
  explicit EspMount(bool mounted) : mounted_(mounted) {}
  bool mounted_;
};

std::optional<Slot> booted_slot() { return parse_cmdline(read_file("/proc/cmdline").value_or("")).slot; }

std::string slot_line(const BootState& s, Slot slot) {
  const SlotInfo& info = s.info(slot);
  std::string line = "slot " + std::string(to_string(slot)) + ": " + std::string(to_string(info.health));
  if (!info.version.empty()) line += ", version " + info.version;
  if (s.primary == slot) line += " (primary)";
  if (s.trial == slot) line += " (on trial)";
  return line;
}

int status(const StoredState& stored, const TryCounter& counter, bool json) {
  const BootState& s = stored.state;
  const auto booted = booted_slot();
  const bool counting = s.trial && counter.trial_seq == s.seq;
  const int tries = counting ? counter.tries_left : 0;
  const bool fallback = s.trial && booted && *booted != *s.trial && tries == 0;
  if (json) {
    auto slot_json = [&](Slot slot) {
      JsonObject o;
      o.add("health", to_string(s.info(slot).health)).add("version", s.info(slot).version);
      return o;
    };
    JsonObject o;
    o.add("booted", booted ? to_string(*booted) : "").add("primary", to_string(s.primary))
        .add("trial", s.trial ? to_string(*s.trial) : "").add("tries_left", std::int64_t{tries})
        .add("fallback", fallback).add("last_failure", s.last_failure)
        .add("a", slot_json(Slot::a)).add("b", slot_json(Slot::b)).add("sequence", static_cast<std::int64_t>(s.seq));
    std::printf("%s\n", o.str().c_str());
    return 0;
  }
  std::printf("booted: %s\n", booted ? ("slot " + std::string(to_string(*booted))).c_str() : "not from a slot");
  std::printf("%s\n%s\n", slot_line(s, Slot::a).c_str(), slot_line(s, Slot::b).c_str());
  if (s.trial) std::printf("trial: slot %s, %d of %d tries left\n", std::string(to_string(*s.trial)).c_str(), tries, kTrialTries);
  if (fallback) std::printf("this boot is a fallback: slot %s did not boot good in %d tries\n",
                            std::string(to_string(*s.trial)).c_str(), kTrialTries);
  if (!s.last_failure.empty()) std::printf("last failure: %s\n", s.last_failure.c_str());
  return 0;
}

Result<void> change(const BootStateStore& store, const StoredState& current, const std::string& command,
                    std::optional<Slot> slot, const std::string& why) {
  Result<BootState> next = fail("boot: unknown command '" + command +
                                "' (expected status, mark-good, mark-bad or set-next)");
  if (command == "mark-good") {
    if (!slot) slot = booted_slot();
    if (!slot) return fail("boot mark-good: which slot? (not booted from a slot: give a or b)");
    next = mark_good(current.state, *slot);
  } else if (command == "mark-bad") {
    if (!slot) return fail("boot mark-bad: expected a slot, a or b");
    next = mark_bad(current.state, *slot, why.empty() ? "marked bad by hand" : why);
  } else if (command == "set-next") {
    if (!slot) return fail("boot set-next: expected a slot, a or b");
    if (current.state.info(*slot).health == SlotHealth::empty)
      return fail("boot set-next: slot " + std::string(to_string(*slot)) + " is empty");
    next = start_trial(current.state, *slot, current.state.info(*slot).version);
    // The counter first: until the state names the trial, a counter for it is ignored.
    if (auto r = store.save_counter({next->seq, kTrialTries}); !r) return r;
  }
  if (!next) return std::unexpected(next.error());
  return store.save(current, *next);
}

int run_boot(std::span<const std::string> args) {
  auto p = parse_args("boot", kOptions, args);
  if (p && (p->positional.empty() || p->positional.size() > 2))
    p = fail("boot: expected a command: status, mark-good, mark-bad or set-next (see maculaos boot --help)");
  std::optional<Slot> slot;
  if (p && p->positional.size() == 2) {
    slot = parse_slot(p->positional[1]);
    if (!slot) p = fail("boot: slot '" + p->positional[1] + "': expected a or b");
  }
  if (!p) return std::fprintf(stderr, "%s\n", p.error().text().c_str()), 2;
  auto esp = EspMount::open();
  if (!esp) return std::fprintf(stderr, "%s\n", esp.error().text().c_str()), 1;
  const BootStateStore store = esp->store();
  auto current = store.load();
  if (!current) return std::fprintf(stderr, "boot: %s\n", current.error().text().c_str()), 1;
  const std::string& command = p->positional[0];
  if (command == "status") return status(*current, store.counter(), p->has("json"));
  if (auto r = change(store, *current, command, slot, p->value_or("why", "")); !r)
    return std::fprintf(stderr, "%s\n", r.error().text().c_str()), 1;
  auto after = store.load();
  return after ? status(*after, store.counter(), false) : 1;
}

}  // namespace

Applet boot_applet() {
  return {"boot", "read and change the A/B boot state", kUsage, run_boot};
}

}  // namespace macula
