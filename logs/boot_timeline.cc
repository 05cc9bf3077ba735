#include "logs/boot_timeline.h"

#include <cinttypes>
#include <cstdio>
#include <vector>

#include "common/json_fields.h"

namespace macula {

namespace {

std::string text_of(json_object* o, const char* key) {
  const char* text = field_string(o, key);
  return text ? text : "";
}

// "  12.345 s  " : a moment on the timeline, from the kernel's start.
std::string at(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%8" PRId64 ".%03" PRId64 " s  ", ms / 1000, ms % 1000);
  return text;
}

std::vector<std::string> strings_of(json_object* o, const char* key) {
  std::vector<std::string> out;
  json_object* list = nullptr;
  if (!json_object_object_get_ex(o, key, &list) || !json_object_is_type(list, json_type_array)) return out;
  for (std::size_t i = 0; i < json_object_array_length(list); ++i)
    if (const char* s = json_object_get_string(json_object_array_get_idx(list, i))) out.emplace_back(s);
  return out;
}

}  // namespace

Result<std::string> boot_timeline(std::string_view json, std::string_view source) {
  auto report = parse_json_object(json, source);
  if (!report) return fail(report.error());
  json_object* r = report->get();
  json_object* timings = nullptr;
  if (!json_object_object_get_ex(r, "timings_ms", &timings) || !json_object_is_type(timings, json_type_object))
    return fail(std::string(source) + ": no timings_ms: expected init's boot report");

  std::string out = "MaculaOS " + text_of(r, "version") + ", kernel " + text_of(r, "kernel") + "\n";
  out += text_of(r, "mode") + " boot";
  if (const std::string how = text_of(r, "mode_source"); !how.empty()) out += " (mode " + how + ")";
  json_object* media = nullptr;
  if (json_object_object_get_ex(r, "media", &media) && !text_of(media, "device").empty()) {
    out += " from " + text_of(media, "device");
    if (const std::string type = text_of(media, "type"); !type.empty()) out += " (" + type + ")";
  }
  out += "\n";
  if (const std::string slot = text_of(r, "slot"); !slot.empty()) out += "slot " + slot + ", state " + text_of(r, "state") + "\n";
  if (const std::string persistence = text_of(r, "persistence"); !persistence.empty())
    out += "persistence: " + persistence + "\n";
  std::uint64_t watchdog = 0;
  if (field_u64(r, "watchdog_s", watchdog) && watchdog > 0)
    out += "trial boot: the watchdog resets the machine unless it is marked good within " + std::to_string(watchdog) + " s\n";

  // The stages in the order init ran them: init_started is when /init began (from the kernel's
  // start), init_total what they took together.
  std::int64_t now = 0, total = -1;
  std::string stages;
  json_object_object_foreach(timings, stage, value) {
    const std::int64_t ms = json_object_get_int64(value);
    const std::string name = stage;
    if (name == "init_started") {
      now = ms;
      stages += at(0) + "kernel started\n" + at(now) + "/init started\n";
    } else if (name == "init_total") {
      total = ms;
    } else {
      char line[96];
      std::snprintf(line, sizeof line, "%-10s %6" PRId64 " ms\n", name.c_str(), ms);
      stages += at(now) + line;
      now += ms;
    }
  }
  out += stages;
  std::string handed = text_of(r, "init");
  out += at(now) + (handed.empty() ? std::string("init's stages ended") : handed + " started");
  if (total >= 0) out += " (/init took " + std::to_string(total) + " ms)";
  out += "\n";
  json_object* modules = nullptr;
  std::uint64_t loaded = 0, failed = 0;
  if (json_object_object_get_ex(r, "modules", &modules) && field_u64(modules, "loaded", loaded) &&
      field_u64(modules, "failed", failed))
    out += "kernel modules: " + std::to_string(loaded) + " loaded, " + std::to_string(failed) + " failed\n";
  if (const auto consoles = strings_of(r, "consoles"); !consoles.empty()) {
    out += "consoles:";
    for (const std::string& c : consoles) out += " " + c;
    out += "\n";
  }
  const auto warnings = strings_of(r, "warnings");
  out += warnings.empty() ? "no warnings\n" : "warnings:\n";
  for (const std::string& w : warnings) out += "  " + w + "\n";
  return out;
}

}  // namespace macula
