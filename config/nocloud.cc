#include "config/nocloud.h"

#include <string>

#include "config/sh_quote.h"

namespace macula {

namespace {

// cloud-init's command list: a string goes to sh as it is; a list is argv.
ConfigNode commands(const ConfigNode& list) {
  if (!list.is_sequence()) return list;  // the schema says what is wrong with it
  ConfigNode out = list;
  for (ConfigNode& item : out.items) {
    if (!item.is_sequence()) continue;
    std::string line;
    for (const ConfigNode& word : item.items) line += (line.empty() ? "" : " ") + sh_quoted(word.text);
    const ConfigMark mark = item.mark;
    item = ConfigNode{ConfigNode::Kind::scalar, line, {}, {}, mark};
  }
  return out;
}

}  // namespace

ConfigNode from_nocloud_meta_data(const ConfigNode& meta) {
  ConfigNode out;
  if (const ConfigNode* name = meta.find("local-hostname")) out.pairs.emplace_back("hostname", *name);
  return out;
}

ConfigNode from_cloud_config(const ConfigNode& user) {
  ConfigNode out;
  out.mark = user.mark;
  for (const auto& [key, value] : user.pairs) {
    if (key == "runcmd")
      out.pairs.emplace_back("run_cmd", commands(value));
    else if (key == "bootcmd")
      out.pairs.emplace_back("boot_cmd", commands(value));
    else
      out.pairs.emplace_back(key, value);
  }
  return out;
}

ConfigNode from_applied_cloud_config(const ConfigNode& user) {
  ConfigNode out = from_cloud_config(user);
  std::erase_if(out.pairs, [](const auto& pair) { return pair.first == "run_cmd"; });
  return out;
}

}  // namespace macula
