// boot.json (kBootReportPath, names/names.h): what this boot did and how long each stage took. Later tools and the
// benchmark read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace macula {

struct StageTiming {
  std::string stage;
  std::int64_t ms = 0;
};

struct BootReport {
  std::string version;       // MaculaOS
  std::string kernel;        // uname -r
  std::string mode;          // live, install, ...
  std::string mode_source;   // "cmdline" or "detected"
  std::string media;         // /dev/sr0
  std::string media_type;    // iso9660
  std::string root_image;    // path of the squashfs on the media
  std::string slot;          // disk mode: a or b
  std::string state;         // disk mode: the state partition
  std::string persistence;   // live mode: where changes are kept ("" in RAM)
  std::int64_t watchdog_s = 0;  // a trial boot: the watchdog armed, in seconds (0: none)
  std::string init;          // what was exec'd in the new root
  std::vector<std::string> consoles;
  int modules_loaded = 0;
  int modules_failed = 0;
  std::int64_t init_started_ms = 0;  // CLOCK_BOOTTIME when /init began: kernel start to /init
  std::vector<StageTiming> stages;   // in order
  std::vector<std::string> warnings;
};

std::string to_json(const BootReport& report);

}  // namespace macula
