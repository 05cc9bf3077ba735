// The log directory's files and the rotation's effects on them (logs/log_rotation.h decides).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "logs/log_rotation.h"

namespace macula {

// The logs and copies under dir, at any depth (symbolic links are not followed).
Result<std::vector<LogFile>> scan_log_directory(const std::string& dir);

// One pass: the plan for what dir holds, carried out. An action that fails is an error at the
// end, after the others were tried (one log that cannot be rotated must not let the rest grow).
Result<void> rotate_log_directory(const std::string& dir, const RotationPolicy& policy);

}  // namespace macula
