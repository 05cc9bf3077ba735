#include "encryption/sys/new_volume.h"

#include "encryption/recovery_passphrase.h"
#include "encryption/sys/tpm_enrollment.h"

namespace macula {

Result<NewEncryptedVolume> make_encrypted_volume(const std::string& device, std::string_view incomplete_label,
                                                 const char* mapping, const std::vector<int>& pcrs) {
  std::string recovery = new_recovery_passphrase();
  auto volume = LuksVolume::format(device, {.label = incomplete_label, .passphrase = recovery});
  if (!volume) return fail(volume.error());
  std::string without_tpm;
  if (auto tpm = open_tpm(); !tpm)
    without_tpm = tpm.error().text();
  else if (auto r = enroll_tpm(*volume, recovery, **tpm, pcrs); !r)
    return fail(r.error());
  if (auto r = volume->activate(mapping, recovery); !r) return fail(r.error());
  return NewEncryptedVolume{std::move(recovery), std::move(without_tpm), ActiveMapping(mapping)};
}

}  // namespace macula
