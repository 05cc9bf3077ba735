#include "logs/log_rotation.h"

#include <algorithm>
#include <charconv>

namespace macula {

std::optional<std::pair<std::string, int>> log_file_name(std::string_view name) {
  int generation = 0;
  if (const std::size_t dot = name.rfind('.'); dot != std::string_view::npos && dot + 1 < name.size()) {
    const std::string_view digits = name.substr(dot + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), generation);
    if (ec == std::errc() && end == digits.data() + digits.size() && generation > 0)
      name = name.substr(0, dot);
    else
      generation = 0;
  }
  const bool log = (name.size() > 4 && name.ends_with(".log")) || name == "wtmp" || name == "btmp";
  if (!log) return std::nullopt;
  return std::pair{std::string(name), generation};
}

std::string log_copy_path(const std::string& log, int generation) {
  return generation == 0 ? log : log + "." + std::to_string(generation);
}

std::vector<RotationAction> plan_rotation(const std::vector<LogFile>& files, const RotationPolicy& policy) {
  std::vector<RotationAction> actions;
  std::vector<LogFile> after;  // the directory as each action leaves it
  // copies beyond what is kept (the rule kept more once): gone before anything moves
  for (const LogFile& f : files) {
    if (f.generation > policy.keep)
      actions.push_back({RotationAction::Kind::remove, log_copy_path(f.log, f.generation)});
    else
      after.push_back(f);
  }
  std::vector<std::string> rotated;
  for (const LogFile& f : after)
    if (f.generation == 0 && f.size >= policy.rotate_at) rotated.push_back(f.log);
  std::ranges::sort(rotated);
  for (const std::string& log : rotated) {
    actions.push_back({RotationAction::Kind::rotate, log});
    std::vector<LogFile> moved;
    for (LogFile f : after) {
      if (f.log != log) {
        moved.push_back(f);
        continue;
      }
      if (f.generation == 0) {
        if (policy.keep > 0) moved.push_back({log, 1, f.size});
        f.size = 0;
      } else {
        ++f.generation;
      }
      if (f.generation <= policy.keep) moved.push_back(f);
    }
    after = std::move(moved);
  }
  std::uint64_t total = 0;
  for (const LogFile& f : after) total += f.size;
  // over the budget: the oldest copies first (the largest of a generation first), then the logs
  // themselves, largest first
  std::ranges::sort(after, [](const LogFile& a, const LogFile& b) {
    const bool a_copy = a.generation > 0, b_copy = b.generation > 0;
    if (a_copy != b_copy) return a_copy;
    if (a.generation != b.generation) return a.generation > b.generation;
    if (a.size != b.size) return a.size > b.size;
    return a.log < b.log;
  });
  for (const LogFile& f : after) {
    if (total <= policy.budget) break;
    if (f.size == 0) continue;
    actions.push_back({f.generation > 0 ? RotationAction::Kind::remove : RotationAction::Kind::truncate,
                       log_copy_path(f.log, f.generation)});
    total -= f.size;
  }
  return actions;
}

}  // namespace macula
