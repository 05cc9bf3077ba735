// The boot story, told to /dev/kmsg with a "macula-init:" prefix so `dmesg` shows it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/fd.h"

namespace macula {

class BootLog {
 public:
  // Opens /dev/kmsg (devtmpfs must be mounted). Until then lines go to stderr, the console.
  void open();
  void set_debug(bool on) { debug_ = on; }

  void debug(std::string_view line);
  void info(std::string_view line);
  void warn(std::string_view line);   // also kept for boot.json
  void error(std::string_view line);  // KERN_ERR: shown on the console even with `quiet`

  const std::vector<std::string>& warnings() const { return warnings_; }
  void clear_warnings() { warnings_.clear(); }

 private:
  void emit(int level, std::string_view line);
  UniqueFd kmsg_;
  bool debug_ = false;
  std::vector<std::string> warnings_;
};

}  // namespace macula
