// Other runs of this program as child processes (the demo's workstations): fork/exec on
// POSIX, CreateProcessW on Windows.
#pragma once

#include <string>
#include <vector>

class ChildProcess {
 public:
  // Starts this program's own executable with `args` (UTF-8, without the program name).
  explicit ChildProcess(const std::vector<std::string>& args);
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();
  // Waits for it to end; true when it exited with 0.
  bool wait_succeeded();

 private:
#ifdef _WIN32
  void* handle_ = nullptr;
#else
  int pid_ = -1;
#endif
};
