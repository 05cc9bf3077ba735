// Reading init's boot report (boot.json, kBootReportPath in names/names.h; written by
// init/handoff) from the booted system: how this boot went, for the tools that say so.
#pragma once

#include <string>

namespace macula {

struct BootReportFacts {
  std::string mode;  // live, disk, ...
  std::string slot;  // a, b: an installed disk's booted slot
  std::string media;  // live: the boot media's device (/dev/sr0, /dev/sda)
};

// What the report says; a field is empty when the report or the field is missing.
BootReportFacts read_boot_report();

}  // namespace macula
