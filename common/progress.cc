#include "common/progress.h"

#include <unistd.h>

#include <algorithm>

#include "common/terminal.h"

namespace macula {

namespace {

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  return buf;
}

}  // namespace

std::string progress_text(const std::string& what, std::uint64_t done, std::uint64_t total,
                          std::chrono::milliseconds elapsed, ProgressBar bar, std::uint64_t start) {
  const double seconds = static_cast<double>(elapsed.count()) / 1000.0;
  const double rate = seconds > 0 && done > start ? static_cast<double>(done - start) / seconds : 0;
  std::string text = what + ": " + mib(done);
  if (total) {
    const int percent = static_cast<int>(done * 100 / total);
    constexpr int kWidth = 30;
    // A server may send more than it announced: the bar stops full.
    const int filled = static_cast<int>(std::min<std::uint64_t>(done * kWidth / total, kWidth));
    if (bar == ProgressBar::ascii)
      text = what + " [" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] " + mib(done);
    if (bar == ProgressBar::blocks) {
      text = what + " ";
      for (int i = 0; i < kWidth; ++i) text += i < filled ? "\u2588" : "\u2591";
      text += " " + mib(done);
    }
    text += " of " + mib(total) + " (" + std::to_string(percent) + "%)";
  }
  char tail[64];
  std::snprintf(tail, sizeof tail, ", %.1f MiB/s", rate / (1024 * 1024));
  text += tail;
  if (total && rate > 0 && done < total) {
    std::snprintf(tail, sizeof tail, ", ETA %.0f s", static_cast<double>(total - done) / rate);
    text += tail;
  }
  return text;
}

Progress::Progress(std::string what, std::uint64_t total, std::uint64_t start, std::FILE* out)
    : what_(std::move(what)), total_(total), start_bytes_(start), out_(out), tty_(::isatty(::fileno(out)) == 1),
      bar_(!tty_ ? ProgressBar::none : terminal_utf8() ? ProgressBar::blocks : ProgressBar::ascii),
      start_(std::chrono::steady_clock::now()), last_(start_), done_(start) {}

void Progress::update(std::uint64_t done) {
  done_ = done;
  const auto now = std::chrono::steady_clock::now();
  // Redraw a bar often; print a plain line every 5 s, so serial logs stay short.
  if (now - last_ < (tty_ ? std::chrono::milliseconds(200) : std::chrono::seconds(5))) return;
  last_ = now;
  print(now, false);
}

void Progress::finish() { print(std::chrono::steady_clock::now(), true); }

void Progress::print(std::chrono::steady_clock::time_point now, bool last) {
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - start_);
  const std::string text = progress_text(what_, done_, total_, elapsed, bar_, start_bytes_);
  if (tty_) std::fprintf(out_, last ? "\r%s\033[K\n" : "\r%s\033[K", text.c_str());
  else std::fprintf(out_, "%s\n", text.c_str());
  std::fflush(out_);
}

}  // namespace macula
