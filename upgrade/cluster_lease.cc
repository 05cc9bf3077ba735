#include "upgrade/cluster_lease.h"

#include <cstdio>
#include <ctime>

#include "common/json.h"
#include "common/json_fields.h"
#include "common/utc_time.h"

namespace macula {

std::vector<std::string> upgrade_lease_names(int max_unavailable) {
  std::vector<std::string> names;
  for (int i = 0; i < max_unavailable; ++i) names.push_back(std::string(kLeasePrefix) + std::to_string(i));
  return names;
}

std::string micro_time(std::int64_t seconds) { return utc_time_text(seconds, "%Y-%m-%dT%H:%M:%S.000000Z"); }

std::int64_t parse_micro_time(std::string_view text) {
  std::tm tm{};
  char end = 0;
  // the fraction, when there, is left out: a second is fine enough for a lease of hours
  if (std::sscanf(std::string(text).c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &end) != 7 ||
      (end != '.' && end != 'Z'))
    return 0;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<std::int64_t>(::timegm(&tm));
}

std::string lease_manifest(std::string_view name, std::string_view holder, std::int64_t now,
                           std::string_view resource_version) {
  JsonObject metadata;
  metadata.add("name", name).add("namespace", kLeaseNamespace);
  if (!resource_version.empty()) metadata.add("resourceVersion", resource_version);
  JsonObject spec;
  spec.add("holderIdentity", holder)
      .add("leaseDurationSeconds", static_cast<std::int64_t>(std::chrono::seconds(kLeaseDuration).count()))
      .add("acquireTime", micro_time(now))
      .add("renewTime", micro_time(now));
  JsonObject lease;
  lease.add("apiVersion", "coordination.k8s.io/v1").add("kind", "Lease").add("metadata", metadata).add("spec", spec);
  return lease.str() + "\n";
}

Result<LeaseView> parse_lease(std::string_view json, std::string_view source) {
  auto root = parse_json_object(json, source);
  if (!root) return fail(root.error());
  json_object *metadata = nullptr, *spec = nullptr;
  const char* version = json_object_object_get_ex(root->get(), "metadata", &metadata) ? field_string(metadata, "resourceVersion") : nullptr;
  if (!version) return fail(std::string(source) + ": expected a Lease with metadata.resourceVersion");
  LeaseView lease;
  lease.resource_version = version;
  if (!json_object_object_get_ex(root->get(), "spec", &spec)) return lease;  // nobody's
  if (const char* holder = field_string(spec, "holderIdentity")) lease.holder = holder;
  const char* renewed = field_string(spec, "renewTime");
  if (!renewed) renewed = field_string(spec, "acquireTime");
  if (renewed) lease.renewed = parse_micro_time(renewed);
  std::uint64_t duration = 0;
  if (field_u64(spec, "leaseDurationSeconds", duration)) lease.duration = static_cast<std::int64_t>(duration);
  return lease;
}

LeaseStanding lease_standing(const LeaseView& lease, std::string_view node, std::int64_t now) {
  if (lease.holder.empty()) return LeaseStanding::free;
  if (lease.holder == node) return LeaseStanding::mine;
  return lease.renewed + lease.duration <= now ? LeaseStanding::free : LeaseStanding::held;
}

}  // namespace macula
