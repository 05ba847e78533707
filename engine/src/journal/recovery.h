// Recovery: completing the commits of programs that stopped halfway, before anything in their
// folder is read. A journal whose owner is gone and which holds a whole commit is replayed
// (its after-images written into the tables again) when every range still holds its old or
// its new bytes; otherwise it is kept aside as NAME.xbj.stale. docs/transactions.md has the
// protocol.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "journal/journal_format.h"
#include "xbase/file.h"

namespace xbase::journal {

struct RecoveryReport {
  int replayed = 0;   // committed journals whose changes were written again
  int discarded = 0;  // journals without a complete commit (the tables were never touched)
  // Committed journals NOT replayed: another program changed those bytes since the process
  // died (one that does not read journals). Kept as NAME.xbj.stale for the administrator.
  std::vector<std::string> stale;
};

// Before anything in `dir` is read: completes every journal whose owner is gone, and waits
// (up to `wait`) while a live process is writing a committed change into the tables. `own`
// is the caller's own journal, left alone. Throws Errc::lock_timeout when the wait expires,
// Errc::io when a journal needs completing but cannot be written.
RecoveryReport settle(FileSystem& fs, const std::filesystem::path& dir,
                      const std::filesystem::path* own, std::chrono::milliseconds wait);

// Files the caller has open, by name in the folder.
using OpenFiles = std::map<std::string, File*>;

// Writes a committed body's after-images into the files of `dir` again (each file cut first
// when the transaction cut it) and syncs them. Writing the same bytes twice changes nothing,
// so this may run any number of times. A file in `open` is written through that handle: on
// Windows the byte-range locks a handle holds (a memo's header lock) refuse writes through
// every other handle, even one of the same process.
void replay(FileSystem& fs, const std::filesystem::path& dir,
            const std::vector<format::ParsedFile>& files, const OpenFiles& open = {});

}  // namespace xbase::journal
