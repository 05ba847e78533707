// Who holds a flock() on a file, from /proc/locks: Harbour signals shared and exclusive use
// that way, a lock space byte-range probes (F_OFD_GETLK) do not see. Linux only; elsewhere
// nothing is found.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "xbase/file.h"

namespace xbase::tool {

struct FlockHolder {
  LockMode mode = LockMode::shared;
  int64_t pid = -1;
};

// The FLOCK lines of a /proc/locks text about the file (device major:minor, inode), waiters
// ("->" lines) left out.
std::vector<FlockHolder> parse_flock_holders(const std::string& proc_locks, unsigned major,
                                             unsigned minor, uint64_t inode);
std::vector<FlockHolder> flock_holders(const std::string& path);

}  // namespace xbase::tool
