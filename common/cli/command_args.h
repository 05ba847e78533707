// Command-line arguments as both command lines (`xbase` and `invoicing`) take them:
// positional words, `--name value` (or `--name=value`) options and `--name` flags.
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace common::cli {

// A command line that cannot be understood; the commands print it with their usage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value
  std::set<std::string> flags;                 // --name
  bool has(const std::string& f) const { return flags.count(f) > 0; }
  std::string get(const std::string& o, const std::string& def = "") const {
    auto it = options.find(o);
    return it == options.end() ? def : it->second;
  }
  // The option as a whole number; `def` when absent, a usage error when not a number.
  int get_int(const std::string& o, int def) const;
};

// Parses argv from `first` on: options listed in `valued` take a value, `flags` take none;
// anything else starting with "--" is a usage error.
Args parse_args(int argc, char** argv, int first, const std::set<std::string>& valued,
                const std::set<std::string>& flags);

}  // namespace common::cli
