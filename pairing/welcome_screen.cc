#include "pairing/welcome_screen.h"

#include <algorithm>
#include <sstream>

namespace macula {

namespace {

constexpr size_t kScreenColumns = 80;
constexpr size_t kMaxAddresses = 3;  // with the other lines, beside a 15-line code

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Characters on the screen: UTF-8 continuation bytes take no column.
size_t columns_of(const std::string& line) {
  return static_cast<size_t>(std::count_if(line.begin(), line.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The text beside the code, each line cut to width (the fingerprint is 50 characters).
std::vector<std::string> text_column(const WelcomeFacts& facts, size_t width) {
  std::vector<std::string> text = {"Pair this node: scan the code, or open", facts.url};
  for (size_t i = 0; i < facts.addresses.size() && i < kMaxAddresses; ++i) {
    const std::string& address = facts.addresses[i];
    text.push_back("or http://" + (address.find(':') != std::string::npos ? "[" + address + "]" : address));
  }
  for (const char* line : {"on a phone or laptop on this network.", "", "Check the page and the Portal show this identity:"})
    text.emplace_back(line);
  text.push_back(facts.fingerprint);
  text.emplace_back("and type this console code there:");
  text.push_back("    " + facts.console_code);
  std::vector<std::string> cut;
  for (const std::string& line : text)
    for (size_t at = 0; at == 0 || at < line.size(); at += width) cut.push_back(line.substr(at, width));
  return cut;
}

}  // namespace

std::string welcome_issue(const WelcomeFacts& facts) {
  // The code and the text side by side: beneath /etc/issue's logo, the whole screen and the
  // login prompt fit a 25-line console, and no part of the code scrolls away.
  const std::vector<std::string> code = lines_of(facts.qr);
  const size_t code_width = code.empty() ? 0 : columns_of(code.front());
  const std::vector<std::string> text = text_column(facts, kScreenColumns - code_width - 1);
  std::string screen = "\n";
  for (size_t i = 0; i < std::max(code.size(), text.size()); ++i) {
    std::string line = i < code.size() ? code[i] : std::string(code_width, ' ');
    if (i < text.size() && !text[i].empty()) line += " " + text[i];
    screen += line + "\n";
  }
  screen += "\n " + facts.status + "\n\n";
  std::string escaped;
  for (const char c : screen) escaped += c == '\\' ? std::string("\\\\") : std::string(1, c);
  return escaped;
}

}  // namespace macula
