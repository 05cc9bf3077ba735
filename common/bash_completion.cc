#include "common/bash_completion.h"

namespace macula {

namespace {

// "--json --from -o": the applet's options, the long spelling of each and the short one.
std::string option_words(const Applet& a, bool values_only) {
  std::string out;
  for (const OptionSpec& o : a.options) {
    if (values_only && !o.takes_value) continue;
    out += (out.empty() ? "--" : " --") + std::string(o.name);
    if (o.short_name) out += " -" + std::string(1, o.short_name);
  }
  return out;
}

std::string command_words(const Applet& a) {
  std::string out;
  for (std::string_view c : a.commands) out += (out.empty() ? "" : " ") + std::string(c);
  return out;
}

}  // namespace

std::string bash_completion(std::span<const Applet> applets) {
  std::string applet_names, cases, names = "maculaos";
  for (const Applet& a : applets) {
    if (a.hidden) continue;
    applet_names += " " + std::string(a.name);
    if (a.by_name) names += " " + std::string(a.name);
    // one line per applet: NAME) commands='...' options='...' values='...';;
    cases += "    " + std::string(a.name) + ") commands='" + command_words(a) + "' options='" + option_words(a, false) +
             " --help --version' values='" + option_words(a, true) + "' ;;\n";
  }
  return "# bash completion for MaculaOS's commands, made by `maculaos completion bash` from its\n"
         "# applet table.\n"
         "_maculaos() {\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} first=1\n"
         "  local applet=${COMP_WORDS[0]##*/} commands options values\n"
         "  if [[ $applet == maculaos ]]; then\n"
         "    if ((COMP_CWORD == 1)); then\n"
         "      COMPREPLY=($(compgen -W 'completion help --help --version" + applet_names + "' -- \"$cur\"))\n"
         "      return\n"
         "    fi\n"
         "    applet=${COMP_WORDS[1]} first=2\n"
         "  fi\n"
         "  case $applet in\n" +
         cases +
         "    completion) ((COMP_CWORD == first)) && COMPREPLY=($(compgen -W bash -- \"$cur\")); return ;;\n"
         "    help) ((COMP_CWORD == first)) && COMPREPLY=($(compgen -W '--man --man-dir" + applet_names + "' -- \"$cur\")); return ;;\n"
         "    *) return ;;\n"
         "  esac\n"
         "  if [[ \" $values \" == *\" $prev \"* ]]; then\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  elif [[ $cur == -* ]]; then\n"
         "    COMPREPLY=($(compgen -W \"$options\" -- \"$cur\"))\n"
         "  elif [[ -n $commands ]] && ((COMP_CWORD == first)); then\n"
         "    COMPREPLY=($(compgen -W \"$commands\" -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "complete -o filenames -F _maculaos " + names + "\n";
}

}  // namespace macula
