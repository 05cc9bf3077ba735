#include "common/prompter.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace macula {

namespace {

class TerminalPrompter final : public Prompter {
 public:
  std::optional<std::string> ask(const std::string& prompt, bool secret) override {
    std::fputs(prompt.c_str(), stdout);
    std::fflush(stdout);
    termios saved{};
    const bool hide = secret && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (hide) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (hide) {
      ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
      std::fputs("\n", stdout);  // the newline typed was not echoed
    }
    if (!got) return std::nullopt;
    return line;
  }
  void say(const std::string& line) override { std::puts(line.c_str()); }
};

}  // namespace

Prompter& terminal_prompter() {
  static TerminalPrompter prompter;
  return prompter;
}

}  // namespace macula
