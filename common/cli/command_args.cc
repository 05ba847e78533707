#include "common/cli/command_args.h"

#include <fmt/format.h>

namespace common::cli {

int Args::get_int(const std::string& o, int def) const {
  auto it = options.find(o);
  if (it == options.end()) return def;
  try {
    size_t used = 0;
    int v = std::stoi(it->second, &used);
    if (used == it->second.size()) return v;
  } catch (const std::exception&) {
  }
  throw UsageError(fmt::format("--{} needs a whole number, not \"{}\"", o, it->second));
}

Args parse_args(int argc, char** argv, int first, const std::set<std::string>& valued,
                const std::set<std::string>& flags) {
  Args a;
  for (int i = first; i < argc; ++i) {
    std::string s = argv[i];
    if (s.size() <= 2 || s.rfind("--", 0) != 0) {
      a.positional.push_back(s);
      continue;
    }
    std::string name = s.substr(2), value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (valued.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argc) throw UsageError(fmt::format("--{} needs a value", name));
        value = argv[++i];
      }
      a.options[name] = value;
    } else if (flags.count(name) && !inline_value) {
      a.flags.insert(name);
    } else {
      throw UsageError(fmt::format("unknown option --{}", name));
    }
  }
  return a;
}

}  // namespace common::cli
