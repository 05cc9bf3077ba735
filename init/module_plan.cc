#include "init/module_plan.h"

#include <algorithm>
#include <map>
#include <set>

namespace macula {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    const size_t at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string normalize_module_name(std::string_view name) {
  std::string out(name);
  std::ranges::replace(out, '-', '_');
  return out;
}

Result<std::vector<ModuleEntry>> parse_module_index(std::string_view text) {
  std::vector<ModuleEntry> index;
  std::set<std::string, std::less<>> seen;
  size_t line_no = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_no;
    if (trim(line).empty() || line.starts_with('#')) continue;
    const auto fields = split(line, '\t');
    if (fields.size() != 3 || fields[0].empty() || fields[1].empty())
      return fail("module index line " + std::to_string(line_no) +
                  ": expected NAME<TAB>PATH<TAB>DEPS, got '" + std::string(line) + "'");
    ModuleEntry e{normalize_module_name(fields[0]), std::string(fields[1]), {}};
    if (seen.contains(e.name))
      return fail("module index line " + std::to_string(line_no) + ": " + e.name + " is listed twice");
    if (fields[2] != "-") {
      for (std::string_view dep : split(fields[2], ',')) {
        std::string d = normalize_module_name(dep);
        if (!seen.contains(d))
          return fail("module index line " + std::to_string(line_no) + ": " + e.name +
                      " depends on '" + d + "', which is not listed before it");
        e.deps.push_back(std::move(d));
      }
    }
    seen.insert(e.name);
    index.push_back(std::move(e));
  }
  return index;
}

std::vector<std::string> parse_module_names(std::string_view text) {
  std::vector<std::string> names;
  for (std::string_view line : split(text, '\n')) {
    line = trim(line.substr(0, line.find('#')));
    if (!line.empty()) names.push_back(normalize_module_name(line));
  }
  return names;
}

ModulePlan plan_module_loads(std::span<const ModuleEntry> index,
                             std::span<const std::string> wanted) {
  std::map<std::string_view, const ModuleEntry*> by_name;
  for (const ModuleEntry& e : index) by_name.emplace(e.name, &e);

  ModulePlan plan;
  std::set<std::string_view> needed;
  std::vector<const ModuleEntry*> todo;
  for (const std::string& raw : wanted) {
    const std::string name = normalize_module_name(raw);
    auto it = by_name.find(name);
    if (it == by_name.end()) {
      if (std::ranges::find(plan.unknown, name) == plan.unknown.end()) plan.unknown.push_back(name);
      continue;
    }
    todo.push_back(it->second);
  }
  while (!todo.empty()) {
    const ModuleEntry* e = todo.back();
    todo.pop_back();
    if (!needed.insert(e->name).second) continue;
    // parse_module_index lists every dep before its module: each is in by_name.
    for (const std::string& dep : e->deps)
      if (auto it = by_name.find(dep); it != by_name.end()) todo.push_back(it->second);
  }
  for (const ModuleEntry& e : index)
    if (needed.contains(e.name)) plan.load.push_back(&e);
  return plan;
}

}  // namespace macula
