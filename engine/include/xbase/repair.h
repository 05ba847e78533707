// Repair of one table, as `xbase repair` runs it: fixes what can be fixed without guessing,
// keeps a copy of every original file first, and loses no value that decodes. Needs exclusive
// use of the table.
//
// What it does, from the problems check_table finds:
// - record count vs file size, a record cut short at the end (cut off), missing end-of-file
//   marker, the memo file's next-free pointer;
// - records whose bytes do not decode: copied byte for byte into T.quarantine.dbf (same fields
//   plus XB_RECNO, the original record number), the fields that do not decode blanked in the
//   table; memo pointers that are broken: the memo bytes that can still be read are saved to
//   the quarantine table first, then the pointer is cleared; two records sharing (or
//   overlapping) memo blocks: the later gets its own copy;
// - the structural index: rebuilt from its tag definitions (read from the damaged CDX when its
//   directory is readable, else from RepairOptions::tags_from / tags); when no definition is
//   available, the structural-index flag is cleared so that other programs open the table,
//   and the result says which tags must be created again.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xbase/check.h"
#include "xbase/file.h"
#include "xbase/index.h"

namespace xbase {

struct RepairOptions {
  FileSystem* fs = nullptr;  // nullptr: the real file system
  int codepage = 0;
  bool dry_run = false;  // only say what would be done
  // Where the originals are copied (default: <folder>/xbase-backup/<stem>-YYYYMMDD-HHMMSS).
  std::filesystem::path backup_dir;
  std::optional<std::filesystem::path> tags_from;  // a CDX (e.g. from a backup) with the tags
  std::vector<TagSpec> tags;                       // or the tags themselves
  std::function<void(uint64_t done, uint64_t total)> progress;
  // Set when a program that knows the tag definitions owns the table (what to run instead):
  // with no definitions at hand, the structural-index flag is then left as it is, since
  // clearing it would make the table unusable to that program.
  std::string index_owner;
};

struct RepairResult {
  CheckResult before, after;
  std::vector<std::string> actions;  // done, or (dry run) to be done
  std::filesystem::path backup;      // where the originals went ("" when nothing changed)
  std::filesystem::path quarantine;  // the quarantine table, when records went there
  uint64_t quarantined = 0;          // records copied to it
  uint64_t memos_saved = 0;          // memo values saved to it
  bool changed = false;
};

RepairResult repair_table(const std::filesystem::path& dbf, const RepairOptions& opts = {});

// The tag definitions stored in a CDX file (its directory must be readable).
std::vector<TagSpec> read_tag_specs(const std::filesystem::path& cdx, FileSystem& fs = FileSystem::os());

}  // namespace xbase
