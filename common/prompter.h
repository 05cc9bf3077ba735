// Questions to the person at a terminal. Behind an interface, so the logic that asks (the
// installer's questions) is tested with a scripted one.
#pragma once

#include <optional>
#include <string>

namespace macula {

class Prompter {
 public:
  virtual ~Prompter() = default;
  // The line typed (no newline), or nothing when the input ended. secret: not echoed.
  virtual std::optional<std::string> ask(const std::string& prompt, bool secret) = 0;
  virtual void say(const std::string& line) = 0;
};

// The terminal's Prompter: stdin and stdout, echo off for secrets.
Prompter& terminal_prompter();

}  // namespace macula
