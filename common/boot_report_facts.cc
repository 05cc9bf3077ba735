#include "common/boot_report_facts.h"

#include "common/files.h"
#include "common/json_fields.h"
#include "names/names.h"

namespace macula {

BootReportFacts read_boot_report() {
  BootReportFacts facts;
  auto report = read_file(kBootReportPath);
  if (!report) return facts;
  auto json = parse_json_object(*report, kBootReportPath);
  if (!json) return facts;
  if (const char* mode = field_string(json->get(), "mode")) facts.mode = mode;
  if (const char* slot = field_string(json->get(), "slot")) facts.slot = slot;
  json_object* media = nullptr;
  if (json_object_object_get_ex(json->get(), "media", &media))
    if (const char* device = field_string(media, "device")) facts.media = device;
  return facts;
}

}  // namespace macula
