// A/B boot state: which slot is primary, which is on trial, and how many tries it has left.
//
// GRUB's env block has no checksum and save_env/grub-editenv rewrite it in place, so a power
// cut can tear it. The state is therefore split by writer, and each part is safe to tear:
//
//  - The slot state (primary, trial, slot health and versions) is written only from Linux, in
//    two copies, state1.env and state2.env, ping-pong: a write goes to the copy that does NOT
//    hold the current state, with a sequence number one higher, repeated at the start
//    (MACULA_SEQ) and at the end (MACULA_COMMIT) of the block. A copy is valid when both
//    agree; GRUB and Linux use the valid copy with the higher sequence number. A torn write
//    leaves the other copy, holding the previous state, intact.
//  - The try counter (tries.env) is the only thing GRUB writes. It names the trial it counts
//    for (MACULA_TRIES_FOR = the sequence number that started the trial). A counter that is
//    torn, missing or for another trial counts as no tries left, so a torn counter can only
//    end a trial early: the node boots its primary (known good) slot, never nothing.
//
// The functions below are the model of bootloader/grub-disk.cfg and are unit tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ab/grub_env.h"
#include "common/result.h"

namespace macula {

enum class Slot { a, b };
enum class SlotHealth { empty, fresh, good, bad };  // fresh: written and verified, not yet booted

std::string_view to_string(Slot);
std::string_view to_string(SlotHealth);
std::optional<Slot> parse_slot(std::string_view);
inline Slot other(Slot s) { return s == Slot::a ? Slot::b : Slot::a; }

inline constexpr int kTrialTries = 3;
// last_failure is kept to one line of at most this many bytes.
inline constexpr size_t kMaxFailureBytes = 200;

struct SlotInfo {
  SlotHealth health = SlotHealth::empty;
  std::string version;
  bool operator==(const SlotInfo&) const = default;
};

struct BootState {
  std::uint64_t seq = 0;
  Slot primary = Slot::a;
  std::optional<Slot> trial;
  SlotInfo a, b;
  std::string last_failure;  // why the last trial or boot failed, for motd and status

  SlotInfo& info(Slot s) { return s == Slot::a ? a : b; }
  const SlotInfo& info(Slot s) const { return s == Slot::a ? a : b; }
  bool operator==(const BootState&) const = default;
};

struct TryCounter {
  std::uint64_t trial_seq = 0;  // the BootState.seq that started the trial
  int tries_left = 0;
  bool operator==(const TryCounter&) const = default;
};

// Encoding as GRUB env blocks.
Result<std::string> encode_state(const BootState& state);
Result<BootState> decode_state(std::string_view block);  // fails if torn or malformed
Result<std::string> encode_counter(const TryCounter& counter);
TryCounter decode_counter(std::string_view block);  // anything unreadable: no tries left

// The current state from the two copies (either may be unreadable); which copy held it
// (0 or 1), so the next write goes to the other. Fails only if neither copy is valid.
struct StoredState {
  BootState state;
  int copy = 0;
};
Result<StoredState> pick_state(std::string_view copy1, std::string_view copy2);

// What GRUB does on this boot (bootloader/grub-disk.cfg): boot the trial slot while it has
// tries, spending one, else the primary.
struct BootDecision {
  Slot slot = Slot::a;
  bool trial = false;
  TryCounter counter;  // what GRUB writes back
};
BootDecision decide_boot(const BootState& state, const TryCounter& counter);

// Transitions, each returning the next state (seq + 1). They refuse what would leave no good
// slot to fall back to.
BootState start_trial(const BootState& state, Slot slot, std::string version);
Result<BootState> mark_good(const BootState& state, Slot booted);
Result<BootState> mark_bad(const BootState& state, Slot slot, std::string why);
Result<BootState> make_primary(const BootState& state, Slot slot);
// Before a slot is overwritten: it is empty (and no longer on trial). Never the primary.
Result<BootState> clear_slot(const BootState& state, Slot slot);

// A verdict on a slot, from a person (maculaos boot), the upgrader, the end-of-boot assessment
// or init. Every change of the boot state is one of these, turned into the next state by
// next_state() and written by BootContext::commit() (ab/sys/boot_context.h).
struct BootChange {
  enum class Kind {
    start_trial,   // boot it next, on trial for kTrialTries boots (detail: the version it holds)
    mark_good,     // it booted and passed its checks; a trial slot becomes primary
    mark_bad,      // it failed (detail: why); the other slot takes over if it was primary
    make_primary,  // roll back to it (it must be good)
    clear,         // it is about to be overwritten: empty, and off trial
  };
  Kind kind;
  Slot slot;
  std::string detail = {};
};

// The state after `change`, or why it is refused (nothing is written then).
Result<BootState> next_state(const BootState& state, const BootChange& change);

// A fresh install: slot A good with `version`, slot B empty.
BootState installed_state(std::string version);

}  // namespace macula
