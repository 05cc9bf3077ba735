#include "config/config_status_report.h"

#include <vector>

#include "common/json.h"
#include "common/text_lines.h"

namespace macula {

std::string config_status_json(std::string_view status) {
  constexpr std::string_view kApplied = "config: applied";
  std::string summary;
  std::vector<std::string> notes;
  for (std::string_view line : text_lines(status)) {
    if (summary.empty() && line.starts_with("config: ")) {
      summary = line.substr(8);
      continue;
    }
    while (line.starts_with(' ')) line.remove_prefix(1);
    if (!line.empty()) notes.emplace_back(line);
  }
  const bool ok = status.starts_with(std::string(kApplied) + "\n");
  return JsonObject().add("ok", ok).add("summary", summary).add("notes", notes).str() + "\n";
}

}  // namespace macula
