// Whether `maculaos state tpm-enroll` may replace the state's TPM key: a key bound to PCRs is
// never silently replaced by an unbound one (the command line that forgot --tpm2-pcrs would
// otherwise drop the binding to Secure Boot's state without a word). Pure.
#pragma once

#include <optional>
#include <vector>

#include "common/result.h"

namespace macula {

// bound: the PCRs the key sealed now is bound to (none, or no key: empty). asked: the PCRs of
// --tpm2-pcrs, nullopt when it was not given. Refused (one line naming the PCRs and the flags
// to give) when the key is bound and no PCRs were asked for; an empty --tpm2-pcrs= asks for an
// unbound key by name.
Result<void> check_tpm_rebinding(const std::vector<int>& bound, const std::optional<std::vector<int>>& asked);

}  // namespace macula
