// A new encrypted volume of ours (the installer's state, a stick's persistence): LUKS2 with a
// new recovery passphrase, its key also sealed to this machine's TPM 2.0 when it has one, and
// opened so that its file system can be made. The caller writes the volume's own label last.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "encryption/sys/luks_volume.h"

namespace macula {

struct NewEncryptedVolume {
  std::string recovery_passphrase;  // to be shown once
  std::string without_tpm;          // why the key is not sealed to a TPM ("" when it is)
  ActiveMapping opened;             // /dev/mapper/MAPPING, closed when this goes
};

// LUKS2 on `device` with the header label `incomplete_label`, opened as /dev/mapper/MAPPING;
// a TPM seal bound to `pcrs`. A TPM that is there but refuses to seal fails it all.
Result<NewEncryptedVolume> make_encrypted_volume(const std::string& device, std::string_view incomplete_label,
                                                 const char* mapping, const std::vector<int>& pcrs);

}  // namespace macula
