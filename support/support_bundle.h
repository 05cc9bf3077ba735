// `maculaos support`: the facts of a node a person can hand to someone else, in one archive,
// with nothing secret in it. The collector decides what goes in and hides what is secret; the
// sources it reads are an interface (support/sys/support_command.cc passes the machine's, the
// unit tests a fake).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "support/tar_archive.h"

namespace macula {

// Where a bundle's facts come from.
class SupportSources {
 public:
  virtual ~SupportSources() = default;
  // The last max_bytes of the file at path (all of a smaller one).
  virtual Result<std::string> read_tail(const std::string& path, std::uint64_t max_bytes) = 0;
  // What argv writes, stdout then stderr, whatever its exit status (a report that says the
  // node is unwell is a fact too); an error only when it cannot run. argv[0] "maculaos" is
  // this binary.
  virtual Result<std::string> run(const std::vector<std::string>& argv) = 0;
};

// How much of each log a bundle takes: its end.
inline constexpr std::uint64_t kBundleLogTail = 4u << 20;

// The bundle's files under `dir`/, every one scrubbed of secrets (support/secret_scrub.h):
// boot.json and its timeline, the node config with its secret keys left out, config status,
// boot status --json, version, rc-status, the kernel's log, the partitions and mounts, the
// kernel command line, each service's log; and missing.txt, what could not be read and why.
// The node's files are read under `root` ("" for the booted system: a node's disk mounted
// elsewhere otherwise); the kernel's facts and the commands' reports are this machine's. The
// state's files are never read but through the config reader: they hold the k3s token, the
// node key and the Portal's credentials.
std::vector<TarEntry> collect_support(const std::string& root, const std::string& dir, std::int64_t now,
                                      SupportSources& sources);

}  // namespace macula
