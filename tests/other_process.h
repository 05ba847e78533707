// A second process for the tests of what another program on the same files does: `fn` runs
// with the table opened anew in a fork of the test. POSIX only (the Windows build leaves these
// tests out).
#pragma once

#ifndef _WIN32
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>

#include "xbase/table.h"

namespace xbase::test {

// True when `fn` finished without an exception in the other process.
inline bool in_other_process(const std::filesystem::path& p, const OpenOptions& options,
                             const std::function<void(Table&)>& fn) {
  pid_t pid = ::fork();
  if (pid < 0) return false;
  if (pid == 0) {
    int rc = 0;
    try {
      auto other = Table::open(p, options);
      fn(*other);
    } catch (...) {
      rc = 1;
    }
    ::_exit(rc);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace xbase::test
#endif
