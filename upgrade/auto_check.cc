#include "upgrade/auto_check.h"

#include <algorithm>

#include "common/json.h"
#include "common/json_fields.h"
#include "common/utc_time.h"
#include "upgrade/release_manifest.h"

namespace macula {

std::chrono::seconds next_check_delay(int failures_in_a_row, std::uint32_t random) {
  const auto jitter = std::chrono::seconds(kCheckJitter).count();
  if (failures_in_a_row <= 0) return std::chrono::seconds(kCheckInterval) + std::chrono::seconds(random % jitter);
  std::chrono::seconds retry = kFirstRetry;
  for (int i = 1; i < failures_in_a_row && retry < kLongestRetry; ++i) retry *= 2;
  return std::min<std::chrono::seconds>(retry, kLongestRetry) + std::chrono::seconds(random % (jitter / 10));
}

std::string kept_check_json(const KeptCheck& kept) {
  return check_object(kept.check).add("checked_at", kept.checked_at).str() + "\n";
}

Result<KeptCheck> parse_kept_check(std::string_view json, std::string_view source) {
  auto root = parse_json_object(json, source);
  if (!root) return fail(root.error());
  json_object* o = root->get();
  const char* current = field_string(o, "current");
  const char* available = field_string(o, "available");
  const char* channel = field_string(o, "channel");
  json_object* newer = nullptr;
  std::uint64_t checked_at = 0;
  if (!current || !available || !channel || !json_object_object_get_ex(o, "newer", &newer) ||
      !json_object_is_type(newer, json_type_boolean) || !field_u64(o, "checked_at", checked_at))
    return fail(std::string(source) + ": expected current, available, channel, newer and checked_at");
  KeptCheck kept{.check = {current, available, channel, static_cast<bool>(json_object_get_boolean(newer))},
                 .checked_at = static_cast<std::int64_t>(checked_at)};
  if (const char* released = field_string(o, "released")) kept.check.released = released;
  if (const char* notes = field_string(o, "notes")) kept.check.notes_url = notes;
  return kept;
}

std::string available_line(const UpgradeCheck& check, std::string_view running) {
  if (compare_versions(check.available, running) <= 0) return "";
  std::string line = check.available + " is available (" + check.channel + ")";
  if (!check.released.empty()) line += ", released " + check.released.substr(0, check.released.find('T'));
  if (!check.notes_url.empty()) line += ": " + check.notes_url;
  return line;
}

std::string update_status_line(const KeptCheck& kept, std::string_view running) {
  if (std::string line = available_line(kept.check, running); !line.empty()) return "update: " + line + "\n";
  return "update: none newer on " + kept.check.channel + " (checked " +
         utc_time_text(kept.checked_at, "%Y-%m-%d %H:%M UTC") + ")\n";
}

}  // namespace macula
