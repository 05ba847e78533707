// What the commands that work on "a table or a whole data folder" share: expanding the paths
// given into tables, and a progress bar on the terminal (nothing when stderr is piped).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace xbase::tool {

// Each path as given when it is a file; for a folder, its .dbf tables (any case of the
// extension) in name order. Throws UsageError for a path that does not exist.
std::vector<std::filesystem::path> expand_tables(const std::vector<std::string>& paths);

class Progress {
 public:
  Progress();  // active only when stderr is a terminal
  ~Progress();
  void show(const std::string& label, uint64_t done, uint64_t total);
  void clear();

 private:
  bool tty_;
  bool shown_ = false;
};

}  // namespace xbase::tool
