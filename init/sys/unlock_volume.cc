#include "init/sys/unlock_volume.h"

#include <sodium.h>
#include <unistd.h>

#include "encryption/sys/luks_volume.h"
#include "encryption/sys/tpm_enrollment.h"
#include "init/sys/console_prompt.h"

namespace macula {

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
  for (int attempt = 1; attempt <= kPassphraseTries; ++attempt) {
    auto typed = ask_consoles(config.consoles, "Passphrase of MaculaOS's encrypted " + what + " (" + device + "): ", true);
    if (!typed) return fail(typed.error());
    auto opened = volume->activate(mapping, *typed);
    ::sodium_memzero(typed->data(), typed->size());
    if (opened) {
      log.info(what + ": " + device + " (LUKS2) opened with a passphrase");
      return mapped;
    }
    if (opened.error().code != EPERM) return fail(opened.error());
    const std::string wrong = what + ": wrong passphrase (" + std::to_string(attempt) + " of " +
                              std::to_string(kPassphraseTries) + ")";
    log.warn(wrong);
    tell_consoles(config.consoles, wrong);
  }
  return fail(what + " " + device + ": " + std::to_string(kPassphraseTries) + " wrong passphrases");
}

}  // namespace macula
