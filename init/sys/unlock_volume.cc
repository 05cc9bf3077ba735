#include "init/sys/unlock_volume.h"

#include <sodium.h>
#include <unistd.h>

#include "encryption/sys/luks_volume.h"
#include "encryption/sys/tpm_enrollment.h"
#include "init/sys/console_prompt.h"

namespace macula {

Result<void> use_typed_passphrase(const std::string& question, const std::string& what, const BootConfig& config,
                                  BootLog& log, const std::function<Result<void>(std::string_view)>& use) {
  for (int attempt = 1; attempt <= kPassphraseTries; ++attempt) {
    auto typed = ask_consoles(config.consoles, question, true);
    if (!typed) return fail(typed.error());
    auto used = use(*typed);
    ::sodium_memzero(typed->data(), typed->size());
    if (used || used.error().code != EPERM) return used;
    const std::string wrong = what + ": wrong passphrase (" + std::to_string(attempt) + " of " +
                              std::to_string(kPassphraseTries) + ")";
    log.warn(wrong);
    tell_consoles(config.consoles, wrong);
  }
  return fail(std::to_string(kPassphraseTries) + " wrong passphrases");
}

Result<std::string> unlock_volume(const std::string& device, const char* mapping, const std::string& what,
                                  const BootConfig& config, BootLog& log) {
  const std::string mapped = mapper_path(mapping);
  if (::access(mapped.c_str(), F_OK) == 0) return mapped;
  auto volume = LuksVolume::load(device);
  if (!volume) return fail(volume.error());
  if (volume->token(kTpmTokenType)) {
    auto tpm = open_tpm();
    auto opened = tpm ? open_with_tpm(*volume, mapping, **tpm) : Result<void>(fail(tpm.error()));
    if (opened) {
      log.info(what + ": " + device + " (LUKS2) opened with the TPM");
      return mapped;
    }
    log.warn(what + ": the TPM did not open " + device + " (" + opened.error().text() + "); asking for its passphrase");
  }
  auto opened = use_typed_passphrase("Passphrase of MaculaOS's encrypted " + what + " (" + device + "): ", what, config, log,
                                     [&](std::string_view typed) { return volume->activate(mapping, typed); });
  if (!opened) return fail(what + " " + device + ": " + opened.error().text());
  log.info(what + ": " + device + " (LUKS2) opened with a passphrase");
  return mapped;
}

}  // namespace macula
