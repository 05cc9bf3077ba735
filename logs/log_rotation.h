// Log rotation by size, our rule (docs/logs.md says why not logrotate): the decisions, pure.
// Every log under /var/log is rotated by copy and truncate, since the services write through
// descriptors held open (supervise-daemon's output_log for k3s and the mesh, a shell's >> for
// the pairing service): a renamed log would go on growing under its new name. Copies are
// NAME.1 (the newest) to NAME.KEEP; when the directory is over its budget the oldest copies go
// first, then, if the logs alone are over it, the largest log is emptied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace macula {

struct RotationPolicy {
  std::uint64_t rotate_at = 0;  // a log this big or bigger is rotated
  int keep = 0;                 // copies kept of each log
  std::uint64_t budget = 0;     // the logs and their copies together, after a pass
};

// /var/log's: 8 MiB a log, two copies, 64 MiB in all (the state also holds k3s's images).
inline constexpr RotationPolicy kLogRotation{8u << 20, 2, 64u << 20};

// A file of the log directory: a log (generation 0) or its copy NAME.GENERATION.
struct LogFile {
  std::string log;  // the log's path (a copy's without its .N)
  int generation = 0;
  std::uint64_t size = 0;
};

// Whether a file name is a log this rule rotates: NAME.log, and wtmp and btmp (a record per
// login and per failed login: an SSH password guesser grows btmp without end); with .N, a copy.
// The log's name and the generation, or nothing for any other file.
std::optional<std::pair<std::string, int>> log_file_name(std::string_view name);

// The path of a log's copy of that generation (the log itself for 0).
std::string log_copy_path(const std::string& log, int generation);

struct RotationAction {
  enum class Kind {
    rotate,    // the copies move up a generation (the last one kept is removed), the log is copied
               // to NAME.1 and emptied
    remove,    // a copy is deleted
    truncate,  // a log is emptied, no copy made
  };
  Kind kind;
  std::string path;

  bool operator==(const RotationAction&) const = default;
};

// What to do, in order, to the files of the log directory.
std::vector<RotationAction> plan_rotation(const std::vector<LogFile>& files, const RotationPolicy& policy);

}  // namespace macula
