// `maculaos config status --json`: the status the boot stage wrote (kConfigStatusPath: its
// first line "config: applied" or "config: applied with errors (...)", then one indented line
// per note: a source's issue, a step's error, a warning) as one JSON object. Pure.
#pragma once

#include <string>
#include <string_view>

namespace macula {

// {"ok": the boot stage applied without errors, "summary": the first line after "config: ",
// "notes": [each note line, unindented]} (docs/json-output.md).
std::string config_status_json(std::string_view status);

}  // namespace macula
