#include "encryption/sys/state_command.h"

#include <sodium.h>

#include <cstdio>

#include "ab/installed_disk.h"
#include "common/args.h"
#include "common/sys/block_devices.h"
#include "common/prompter.h"
#include "encryption/sys/luks_volume.h"
#include "encryption/recovery_passphrase.h"
#include "encryption/tpm_rebinding.h"
#include "encryption/tpm_token.h"
#include "encryption/sys/tpm_enrollment.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos state passphrase [--new-recovery]
       maculaos state tpm-enroll [--tpm2-pcrs LIST | --tpm2-pcrs=]

Replaces the passphrase that opens this node's encrypted state (an encrypted install, see
macula-install --help): asks for the current one (the recovery passphrase shown at install,
or one set since), then for the new one, twice. With --new-recovery, a new recovery
passphrase is made instead and shown once. The old passphrase opens nothing afterwards.

tpm-enroll seals a new key to this machine's TPM 2.0 (asking for a passphrase of the state),
bound to the PCRs of LIST (e.g. 7, the Secure Boot state, as this boot measured it), and
removes the TPM keyslot there was: run on the installed system, the binding matches the boots
it will have (the installer seals in the ISO's boot, unbound). When the key there is bound to
PCRs, --tpm2-pcrs must be given: the same LIST keeps the binding, an empty one (--tpm2-pcrs=)
seals the new key unbound; without it the command refuses (exit 10) and changes nothing.
)";

constexpr OptionSpec kOptions[] = {{"new-recovery", 0, false}, {"tpm2-pcrs", 0, true}};

// A passphrase typed or made here, wiped from memory when it goes.
struct Secret {
  std::string text;
  ~Secret() { ::sodium_memzero(text.data(), text.size()); }
};

Result<std::string> ask_secret(Prompter& prompter, const std::string& prompt) {
  auto typed = prompter.ask(prompt, true);
  if (!typed) return fail("no passphrase typed (the input ended)");
  return *typed;
}

// The running installed disk's encrypted state.
Result<LuksVolume> encrypted_state() {
  auto disk = find_installed_disk(scan_block_devices(), booted_from_this_boot().esp_partuuid);
  if (!disk) return fail(disk.error());
  if (probe_filesystem_at(disk->state, 0, 0).type != kLuksType)
    return fail("the state partition " + disk->state + " is not encrypted (macula-install --encrypt makes it so)");
  return LuksVolume::load(disk->state);
}

// The PCRs the state's TPM key is bound to now (none: no key, or one whose token is damaged,
// which a new one may well replace).
std::vector<int> bound_pcrs(LuksVolume& volume) {
  const std::optional<std::string> json = volume.token(kTpmTokenType);
  if (!json) return {};
  auto sealed = parse_tpm_token(*json);
  return sealed ? sealed->pcrs : std::vector<int>{};
}

// asked: --tpm2-pcrs's list; nullopt when it was not given.
Result<int> enroll_this_tpm(const std::optional<std::vector<int>>& asked) {
  auto volume = encrypted_state();
  if (!volume) return fail(volume.error());
  if (auto r = check_tpm_rebinding(bound_pcrs(*volume), asked); !r) return fail(r.error());
  const std::vector<int> pcrs = asked.value_or(std::vector<int>{});
  auto tpm = open_tpm();
  if (!tpm) return fail(tpm.error());
  Secret passphrase;
  auto typed = ask_secret(terminal_prompter(), "A passphrase of the state: ");
  if (!typed) return fail(typed.error());
  passphrase.text = std::move(*typed);
  // The new keyslot first: a cut before the old one goes leaves two, and either opens.
  const std::vector<int> old = volume->tokens(kTpmTokenType);
  if (auto r = enroll_tpm(*volume, passphrase.text, **tpm, pcrs); !r) return fail(r.error().text() + "; nothing changed");
  for (int token : old)
    if (auto r = volume->remove_token(token); !r) return fail(r.error());
  std::string bound;
  for (int pcr : pcrs) bound += (bound.empty() ? ", bound to PCR " : ", ") + std::to_string(pcr);
  std::printf("The state's key is sealed to this machine's TPM 2.0%s.\n", bound.c_str());
  return 0;
}

Result<int> change_passphrase(bool new_recovery) {
  auto volume = encrypted_state();
  if (!volume) return fail(volume.error());
  Prompter& prompter = terminal_prompter();
  Secret current, next;
  auto typed = ask_secret(prompter, "Current passphrase of the state: ");
  if (!typed) return fail(typed.error());
  current.text = std::move(*typed);
  if (new_recovery) {
    next.text = new_recovery_passphrase();
  } else {
    auto first = ask_secret(prompter, "New passphrase: ");
    if (!first) return fail(first.error());
    next.text = std::move(*first);
    Secret again;
    auto second = ask_secret(prompter, "The new passphrase again: ");
    if (!second) return fail(second.error());
    again.text = std::move(*second);
    if (next.text.empty()) return fail("an empty passphrase opens nothing; nothing changed");
    if (again.text != next.text) return fail("the two new passphrases differ; nothing changed");
  }
  if (auto r = volume->change_passphrase(current.text, next.text); !r) return fail(r.error().text() + "; nothing changed");
  if (new_recovery)
    std::printf("New recovery passphrase, shown this once (write it down): %s\n", next.text.c_str());
  else
    std::puts("The state's passphrase is changed.");
  return 0;
}

Result<int> run_state(std::span<const std::string> args) {
  auto p = parse_args("maculaos state", kOptions, args);
  if (!p) return fail(p.error());
  const std::string command = p->positional.size() == 1 ? p->positional[0] : "";
  if (command == "passphrase") return change_passphrase(p->has("new-recovery"));
  if (command != "tpm-enroll") return usage_error("expected the command passphrase or tpm-enroll (see maculaos state --help)");
  if (!p->has("tpm2-pcrs")) return enroll_this_tpm(std::nullopt);
  auto pcrs = parse_pcr_list(p->value_or("tpm2-pcrs", ""));
  if (!pcrs) return usage_error("--tpm2-pcrs: " + pcrs.error().message);
  return enroll_this_tpm(*pcrs);
}

}  // namespace

Applet state_applet() {
  static constexpr std::string_view kCommands[] = {"passphrase", "tpm-enroll"};
  return {.name = "state", .summary = "the encrypted state's passphrase and TPM keyslot", .usage = kUsage, .run = run_state,
          .commands = kCommands, .options = kOptions, .needs_root = true};
}

}  // namespace macula
