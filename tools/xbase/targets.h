// What the commands that work on "a table or a whole data folder" share: expanding the paths
// given into tables, and a progress bar on the terminal (nothing when stderr is piped).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace xbase::tool {

// What a command works on. `skipped` counts the entries named like tables that it does not
// work on at all (a link out of the folder or to nothing, a FIFO, a folder, ...): a script must
// not read "all checked" then, so the commands exit 1 and say how many.
struct Tables {
  std::vector<std::filesystem::path> paths;
  size_t skipped = 0;
};

// Each path as given when it is a file (a link: its target, see follow_table_link); for a
// folder, its .dbf tables (any case of the extension) in name order. In a folder, links and
// anything not a regular file are skipped, each named on stderr with the reason (a link to a
// table of the same folder is not counted: that table is worked on under its own name); a
// folder without tables says "no tables here (DIR)" on stderr. Throws UsageError for a path
// that does not exist.
Tables expand_tables(const std::vector<std::string>& paths);

// After the command's own output: "N entries named like tables were skipped (see above)" on
// stderr, and the exit code raised to kProblems, when any was.
int report_skipped(const Tables& t, int rc);

// p itself, or when p is a symbolic link its final target (said on stderr): the table's memo
// and index live beside the target, and rewriting commands must keep the link.
std::filesystem::path follow_table_link(const std::filesystem::path& p);

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
