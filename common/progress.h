// Progress of a long copy or download: a bar on a terminal, plain periodic lines otherwise
// (serial consoles and logs).
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace macula {

// How the line shows the part done: no bar (a log: plain lines), `[####....]` on a terminal,
// `████░░░░` on a UTF-8 one.
enum class ProgressBar { none, ascii, blocks };

// Pure: the text shown for `done` of `total` bytes after `elapsed`. total 0 = unknown. `start`
// is what was already there when the clock started (a resumed download): the rate and the
// ETA count only the bytes moved since.
std::string progress_text(const std::string& what, std::uint64_t done, std::uint64_t total,
                          std::chrono::milliseconds elapsed, ProgressBar bar, std::uint64_t start = 0);

class Progress {
 public:
  Progress(std::string what, std::uint64_t total, std::uint64_t start = 0, std::FILE* out = stderr);
  void update(std::uint64_t done);
  void finish();

 private:
  // The line for done_ at `now`: a bar redrawn in place on a terminal (and ended when `last`), a
  // line of its own otherwise.
  void print(std::chrono::steady_clock::time_point now, bool last);

  std::string what_;
  std::uint64_t total_;
  std::uint64_t start_bytes_;
  std::FILE* out_;
  bool tty_;
  ProgressBar bar_;
  std::chrono::steady_clock::time_point start_, last_;
  std::uint64_t done_;
};

}  // namespace macula
