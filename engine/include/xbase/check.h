// Integrity check of one table with its memo file and indexes, as `xbase check` runs it:
// read-only, taking only the read locks shared use takes, so other workstations may keep
// working meanwhile.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "xbase/error.h"
#include "xbase/file.h"

namespace xbase {

struct Finding {
  enum class Severity {
    note,     // legal but unusual (another writer's convention); nothing to repair
    problem,  // damage: something reads wrong, or other programs will
  };
  Severity severity = Severity::problem;
  std::string area;  // "header", "record", "memo", "index", "io" (could not be read: nothing to repair)
  Location where;    // file, offset, record, field
  std::string tag;   // index findings: the tag
  std::string message;
  // What `xbase repair` does about it ("" when repair cannot fix it by itself).
  std::string repair;
  // Memo findings: the record's memo shares blocks with another's (repair gives it its own copy).
  bool shared_memo = false;
  // A note `repair` acts on all the same: a UNIQUE or CANDIDATE tag another writer left
  // without some keys (rebuilding it from the records loses nothing).
  bool repair_rebuilds = false;
};

struct CheckStats {
  uint64_t records = 0, deleted = 0;
  uint64_t memos = 0, memo_bytes = 0;  // memo values referenced by records
  uint64_t tags = 0, keys = 0;         // tags checked, keys read from them
};

struct CheckResult {
  std::vector<Finding> findings;
  CheckStats stats;
  bool opened = false;  // false: the table could not be opened at all (see findings)
  size_t problems() const;
};

struct CheckOptions {
  FileSystem* fs = nullptr;  // nullptr: the real file system
  int codepage = 0;          // read text as this codepage (0: the table's mark)
  // Findings of one kind beyond this many are counted in one closing finding.
  size_t limit = 200;
  // Called now and then with the work done and the work there is (records, then keys).
  std::function<void(uint64_t done, uint64_t total)> progress;
};

// The finding check reports for a warning Table::open gave: damage or another writer's habit,
// decided by the warning's code alone (never its text). Empty when check reports the matter
// another way (a tag that cannot be maintained is checked tag by tag).
std::optional<Finding> finding_for(const Warning& w);

CheckResult check_table(const std::filesystem::path& dbf, const CheckOptions& opts = {});

}  // namespace xbase
