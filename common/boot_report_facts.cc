#include "common/boot_report_facts.h"

#include "common/files.h"
#include "common/json_fields.h"
#include "common/run_paths.h"

namespace macula {

BootReportFacts read_boot_report() {
  BootReportFacts facts;
  auto report = read_file(kBootReportPath);
  if (!report) return facts;
  auto json = parse_json_object(*report, kBootReportPath);
  if (!json) return facts;
  if (const char* mode = field_string(json->get(), "mode")) facts.mode = mode;
  if (const char* slot = field_string(json->get(), "slot")) facts.slot = slot;
  return facts;
}

}  // namespace macula
