#include "common/man_page.h"

#include <algorithm>
#include <cctype>

namespace macula {

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string header(const std::string& name, std::string_view summary) {
  return ".TH " + upper(name) + " 8 \"\" \"MaculaOS " MACULAOS_VERSION "\" \"MaculaOS\"\n.SH NAME\n" +
         name + " \\- " + roff_literal(summary);
}

std::string exit_status() {
  std::string out = ".SH EXIT STATUS\n0 done";
  for (const ErrorExit& e : kErrorExits) out += ", " + std::to_string(e.status) + " " + std::string(e.name);
  return out + ".\n";
}

}  // namespace

std::string roff_literal(std::string_view text) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else
      out += c;
    line_start = c == '\n';
  }
  if (!out.ends_with('\n')) out += '\n';
  return out;
}

std::string man_page_name(const Applet& applet) {
  return (applet.by_name ? "" : "maculaos-") + std::string(applet.name);
}

std::string man_page(const Applet& applet) {
  std::string_view usage = applet.usage;
  if (usage.starts_with("usage: ")) usage.remove_prefix(7);
  const size_t blank = usage.find("\n\n");
  const std::string_view synopsis = usage.substr(0, blank);
  const std::string_view description = blank == std::string_view::npos ? "" : usage.substr(blank + 2);
  std::string out = header(man_page_name(applet), applet.summary);
  // the usage texts are laid out in columns: kept as they are (no fill, no adjusting)
  out += ".SH SYNOPSIS\n.nf\n" + roff_literal(synopsis) + ".fi\n";
  if (!description.empty()) out += ".SH DESCRIPTION\n.nf\n" + roff_literal(description) + ".fi\n";
  return out + exit_status() + ".SH SEE ALSO\nmaculaos(8)\n";
}

std::string umbrella_man_page(std::span<const Applet> applets) {
  std::string out = header("maculaos", "MaculaOS's commands, in one binary");
  out += ".SH SYNOPSIS\n.nf\nmaculaos COMMAND [ARGS...]\nmaculaos --version\n.fi\n.SH DESCRIPTION\n.nf\n" +
         roff_literal(command_list(applets)) + ".fi\n" + exit_status() + ".SH SEE ALSO\n";
  std::string pages;
  for (const Applet& a : applets)
    if (!a.hidden) pages += (pages.empty() ? "" : ",\n") + man_page_name(a) + "(8)";
  return out + pages + "\n";
}

}  // namespace macula
