// LUKS2 volumes through libcryptsetup: the encrypted state partition (and, later, the stick's
// persistence). The volume key never leaves libcryptsetup; what opens a volume is a
// passphrase in one of its keyslots.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <utility>

#include "common/block_device.h"
#include "common/result.h"
#include "names/names.h"

struct crypt_device;

namespace macula {



// LUKS2, aes-xts-plain64 with a 512-bit key, argon2id for typed passphrases.
struct LuksFormat {
  std::string_view label;  // the LUKS2 header's label (blkid's LABEL)
  std::string_view passphrase;
};

class LuksVolume {
 public:
  static Result<LuksVolume> format(const std::string& device, const LuksFormat& format);
  // A volume that exists; fails, naming the device, for anything that is not LUKS2.
  static Result<LuksVolume> load(const std::string& device);

  // Maps it as /dev/mapper/NAME. A wrong passphrase is an error with code EPERM.
  Result<void> activate(const std::string& name, std::string_view passphrase);
  // Whether a keyslot opens with the passphrase, mapping nothing. Wrong: an error with code EPERM.
  Result<void> check_passphrase(std::string_view passphrase);
  Result<void> set_label(std::string_view label);
  // Replaces the keyslot `old_passphrase` opens with `new_passphrase`.
  Result<void> change_passphrase(std::string_view old_passphrase, std::string_view new_passphrase);
  // A keyslot for a random key (a TPM's): PBKDF2 with few iterations, as systemd-cryptenroll
  // does, since a key with all its bits random needs no stretching. Returns its number.
  Result<int> add_random_key(std::string_view passphrase, std::string_view key);
  // Stores a token (LUKS2 JSON metadata, with a "type") tied to `keyslot`.
  Result<void> add_token(int keyslot, const std::string& json);
  // The JSON of the first token of `type`, if there is one.
  std::optional<std::string> token(std::string_view type);
  // The tokens of `type`, by number (what remove_token takes).
  std::vector<int> tokens(std::string_view type);
  // Removes the token and the keyslots tied to it.
  Result<void> remove_token(int token);

 private:
  using Handle = std::unique_ptr<crypt_device, void (*)(crypt_device*)>;
  LuksVolume(Handle cd, std::string device) : cd_(std::move(cd)), device_(std::move(device)) {}
  Handle cd_;
  std::string device_;
};

// /dev/mapper/NAME, for a mapping activate() made.
std::string mapper_path(const std::string& name);

// Removes the mapping NAME (nothing mapped is not an error).
Result<void> deactivate(const std::string& name);

// A mapping removed when this object goes (the installer's, while it writes the state).
class ActiveMapping {
 public:
  explicit ActiveMapping(std::string name) : name_(std::move(name)) {}
  ActiveMapping(ActiveMapping&& o) noexcept : name_(std::exchange(o.name_, "")) {}
  ActiveMapping& operator=(ActiveMapping&&) = delete;
  ~ActiveMapping();
  std::string path() const { return mapper_path(name_); }

 private:
  std::string name_;
};

}  // namespace macula
