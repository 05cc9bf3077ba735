#include "encryption/state_command.h"

#include <sodium.h>

#include <cstdio>

#include "ab/installed_disk.h"
#include "common/args.h"
#include "common/block_devices.h"
#include "common/prompter.h"
#include "encryption/luks_volume.h"
#include "encryption/recovery_passphrase.h"

namespace macula {

namespace {

constexpr std::string_view kUsage = R"(usage: maculaos state passphrase [--new-recovery]

Replaces the passphrase that opens this node's encrypted state (macula-install --encrypt):
asks for the current one (the recovery passphrase shown at install, or one set since), then
for the new one, twice. With --new-recovery, a new recovery passphrase is made instead and
shown once. The old passphrase opens nothing afterwards.
)";

constexpr OptionSpec kOptions[] = {{"new-recovery", 0, false}};

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

Result<int> change_passphrase(bool new_recovery) {
  auto disk = find_installed_disk(scan_block_devices(), booted_from_this_boot().esp_partuuid);
  if (!disk) return fail(disk.error());
  if (probe_filesystem_at(disk->state, 0, 0).type != "crypto_LUKS")
    return fail("the state partition " + disk->state + " is not encrypted (macula-install --encrypt makes it so)");
  auto volume = LuksVolume::load(disk->state);
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
  if (p->positional.size() != 1 || p->positional[0] != "passphrase")
    return usage_error("expected the command passphrase (see maculaos state --help)");
  return change_passphrase(p->has("new-recovery"));
}

}  // namespace

Applet state_applet() {
  return {"state", "change the passphrase of the encrypted state", kUsage, run_state};
}

}  // namespace macula
