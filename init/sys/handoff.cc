#include "init/sys/handoff.h"

#include <filesystem>

#include "common/files.h"
#include "common/sys/mounts.h"
#include "names/names.h"
#include "init/copy_tree.h"

namespace macula {

void hand_off(BootReport& report, BootLog& log) {
  std::error_code ec;
  std::filesystem::remove(kBinaryInRun, ec);
  Result<void> handed = make_dirs(std::filesystem::path(kBinaryInRun).parent_path());
  if (handed) handed = copy_tree("/init", kBinaryInRun);
  if (!handed) log.warn("cannot hand the maculaos binary to the system: " + handed.error().text());
  report.warnings = log.warnings();
  if (auto r = write_file_atomic(kBootReportPath, to_json(report), 0644); !r) log.warn(r.error().text());
}

}  // namespace macula
