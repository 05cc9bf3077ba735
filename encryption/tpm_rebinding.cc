#include "encryption/tpm_rebinding.h"

#include <string>

namespace macula {

Result<void> check_tpm_rebinding(const std::vector<int>& bound, const std::optional<std::vector<int>>& asked) {
  if (asked || bound.empty()) return {};
  std::string list;
  for (int pcr : bound) list += (list.empty() ? "" : ",") + std::to_string(pcr);
  return fail(ErrorKind::refused, "the state's TPM key is bound to PCR " + list + ": give --tpm2-pcrs=" + list +
                                      " to keep that binding, or --tpm2-pcrs= to seal it unbound; nothing changed");
}

}  // namespace macula
