#include "init/console_question.h"

#include <cerrno>

namespace macula {

Result<std::string> wait_for_answer(ConsoleLines& consoles) {
  for (;;) {
    const std::size_t count = consoles.open_and_ask();
    if (count == 0) return fail("no console to ask on");
    std::vector<bool> open(count, true);
    std::size_t left = count;
    while (left > 0) {
      auto ready = consoles.wait();
      if (!ready) return fail(ready.error());
      for (const std::size_t i : *ready) {
        if (i >= count || !open[i]) continue;
        auto got = consoles.read(i);
        if (!got && (got.error().code == EINTR || got.error().code == EAGAIN)) continue;
        if (got && !got->empty()) {
          std::string line = std::move(*got);
          while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
          return line;
        }
        consoles.close(i);  // hung up, or broken: it would be ready again at once, for ever
        open[i] = false;
        --left;
      }
    }
    consoles.pause();
  }
}

}  // namespace macula
