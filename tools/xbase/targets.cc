#include "targets.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "common.h"
#include "common/text/terminal_text.h"

namespace fs = std::filesystem;

namespace xbase::tool {

namespace {

bool has_dbf_extension(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".dbf";
}

const char* kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::directory: return "a folder";
    case fs::file_type::fifo: return "a FIFO (named pipe)";
    case fs::file_type::character: return "a character device";
    case fs::file_type::block: return "a block device";
    case fs::file_type::socket: return "a socket";
    default: return "not a regular file";
  }
}

void skipped(const fs::path& p, const std::string& why) {
  std::cerr << common::terminal_text(fmt::format("xbase: {}: {}: skipped\n", p.string(), why));
}

// Whether `inner` (canonical) lies in the folder `dir` (canonical).
bool inside(const fs::path& inner, const fs::path& dir) {
  auto rel = inner.lexically_relative(dir);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

fs::path follow_table_link(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_symlink(fs::symlink_status(p, ec))) return p;
  fs::path target = fs::canonical(p, ec);
  if (ec)
    throw UsageError(fmt::format("{} is a link to {}, which does not exist", p.string(),
                                 fs::read_symlink(p, ec).string()));
  // The table's memo and index files sit beside the target, and pack/repair must write the
  // target (renaming their result over the link would replace it with a copy).
  std::cerr << common::terminal_text(
      fmt::format("xbase: {} is a link to {}: working on that table\n", p.string(), target.string()));
  return target;
}

Tables expand_tables(const std::vector<std::string>& paths) {
  Tables out;
  for (const auto& text : paths) {
    const fs::path p = xbase::path_from_utf8(text);  // UTF-8, as every argument
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      const fs::path dir = fs::canonical(p, ec);
      std::vector<fs::path> found;
      size_t passed_over = 0;
      for (const auto& e : fs::directory_iterator(p, ec)) {
        if (!has_dbf_extension(e.path())) continue;
        std::error_code ec2;
        const auto own = e.symlink_status(ec2);
        if (fs::is_symlink(own)) {
          // A folder operation never follows a link: one leading out of the folder would let
          // whoever can write the folder make repair or pack rewrite a table elsewhere, and one
          // leading inside names a table that is worked on under its own name anyway.
          ++passed_over;
          fs::path target = fs::canonical(e.path(), ec2);
          if (ec2) {
            skipped(e.path(), fmt::format("a link to {}, which does not exist", fs::read_symlink(e.path(), ec2).string()));
            ++out.skipped;
          } else if (!dir.empty() && inside(target, dir)) {
            skipped(e.path(), fmt::format("a link to {} in the same folder (worked on under its own name)",
                                          target.string()));
          } else {
            skipped(e.path(), fmt::format("a link to {} outside {} (give the link itself to work on that table)",
                                          target.string(), text));
            ++out.skipped;
          }
          continue;
        }
        if (own.type() != fs::file_type::regular) {
          ++passed_over;
          ++out.skipped;
          skipped(e.path(), fmt::format("{}, not a table file", kind_of(own.type())));
          continue;
        }
        found.push_back(e.path());
      }
      if (found.empty() && passed_over == 0)
        std::cerr << common::terminal_text(fmt::format("no tables here ({})\n", text));
      std::sort(found.begin(), found.end());
      out.paths.insert(out.paths.end(), found.begin(), found.end());
    } else if (fs::exists(fs::symlink_status(p, ec))) {
      out.paths.push_back(follow_table_link(p));
    } else {
      throw UsageError(fmt::format("{}: no such file or folder", text));
    }
  }
  return out;
}

int report_skipped(const Tables& t, int rc) {
  if (t.skipped == 0) return rc;
  std::cerr << fmt::format("{} {} named like tables {} skipped (see above)\n", t.skipped,
                           t.skipped == 1 ? "entry" : "entries", t.skipped == 1 ? "was" : "were");
  return std::max(rc, int(kProblems));
}

Progress::Progress() : tty_(isatty(STDERR_FILENO) == 1) {}
Progress::~Progress() { clear(); }

void Progress::show(const std::string& label, uint64_t done, uint64_t total) {
  if (!tty_) return;
  int pct = total ? int(std::min<uint64_t>(100, done * 100 / total)) : 100;
  int bar = pct * 30 / 100;
  std::fprintf(stderr, "\r[%s%s] %3d%% %s\033[K", std::string(size_t(bar), '#').c_str(),
               std::string(size_t(30 - bar), ' ').c_str(), pct, common::terminal_text(label).c_str());
  std::fflush(stderr);
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  shown_ = false;
}

}  // namespace xbase::tool
