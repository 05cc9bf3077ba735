#include "init/boot_report.h"

#include "common/json.h"

namespace macula {

std::string to_json(const BootReport& r) {
  JsonObject media;
  media.add("device", r.media).add("type", r.media_type).add("root_image", r.root_image);
  JsonObject modules;
  modules.add("loaded", std::int64_t{r.modules_loaded}).add("failed", std::int64_t{r.modules_failed});
  JsonObject timings;
  timings.add("init_started", r.init_started_ms);
  std::int64_t total = 0;
  for (const StageTiming& s : r.stages) {
    timings.add(s.stage, s.ms);
    total += s.ms;
  }
  timings.add("init_total", total);
  JsonObject o;
  o.add("version", r.version)
      .add("kernel", r.kernel)
      .add("mode", r.mode)
      .add("mode_source", r.mode_source)
      .add("media", media)
      .add("slot", r.slot)
      .add("state", r.state)
      .add("persistence", r.persistence)
      .add("watchdog_s", r.watchdog_s)
      .add("init", r.init)
      .add("consoles", r.consoles)
      .add("modules", modules)
      .add("timings_ms", timings)
      .add("warnings", r.warnings);
  return o.str() + "\n";
}

}  // namespace macula
