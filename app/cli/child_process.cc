#include "child_process.h"

#include <stdexcept>
#include <string>

#ifdef _WIN32
#include <windows.h>
#else
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#endif

#ifdef _WIN32
namespace {
std::wstring wide(const std::string& utf8) {
  if (utf8.empty()) return {};
  const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), nullptr, 0);
  std::wstring w(size_t(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), w.data(), n);
  return w;
}

// One argument quoted the way the C runtime splits a command line back into argv: in quotes,
// a quote escaped with a backslash, backslashes doubled only before a quote.
void append_quoted(std::wstring& line, const std::wstring& arg) {
  line += L'"';
  size_t backslashes = 0;
  for (wchar_t ch : arg) {
    if (ch == L'\\') {
      ++backslashes;
      continue;
    }
    line.append(ch == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    line += ch;
  }
  line.append(backslashes * 2, L'\\');
  line += L'"';
}
}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& args) {
  std::wstring exe(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, exe.data(), DWORD(exe.size()));
    if (n == 0) throw std::runtime_error("cannot find this program's own file (GetModuleFileNameW)");
    if (n < exe.size()) {
      exe.resize(n);
      break;
    }
    exe.resize(exe.size() * 2);
  }
  std::wstring line;
  append_quoted(line, exe);
  for (const auto& a : args) {
    line += L' ';
    append_quoted(line, wide(a));
  }
  STARTUPINFOW si{};
  si.cb = sizeof si;
  PROCESS_INFORMATION pi{};
  if (!CreateProcessW(exe.c_str(), line.data(), nullptr, nullptr, FALSE, 0, nullptr, nullptr, &si, &pi))
    throw std::runtime_error("cannot start a workstation process (CreateProcessW error " +
                             std::to_string(GetLastError()) + ")");
  CloseHandle(pi.hThread);
  handle_ = pi.hProcess;
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept : handle_(o.handle_) { o.handle_ = nullptr; }

ChildProcess::~ChildProcess() {
  if (handle_) CloseHandle(handle_);
}

bool ChildProcess::wait_succeeded() {
  if (!handle_) return false;
  WaitForSingleObject(handle_, INFINITE);
  DWORD code = 1;
  GetExitCodeProcess(handle_, &code);
  CloseHandle(handle_);
  handle_ = nullptr;
  return code == 0;
}

#else

ChildProcess::ChildProcess(const std::vector<std::string>& args) {
  const std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
  std::vector<char*> argv{const_cast<char*>(exe.c_str())};
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("cannot start a workstation process (fork failed)");
  if (pid_ == 0) {
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }

ChildProcess::~ChildProcess() {
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

bool ChildProcess::wait_succeeded() {
  if (pid_ <= 0) return false;
  int st = 0;
  waitpid(pid_, &st, 0);
  pid_ = -1;
  return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

#endif
