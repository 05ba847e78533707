#include "common/cli/utf8_args.h"

#ifdef _WIN32
#include <windows.h>
// after windows.h
#include <shellapi.h>
#endif

#include <cwchar>
#include <stdexcept>

namespace common::cli {

#ifdef _WIN32
namespace {
std::string utf8_of(const wchar_t* w) {
  const int len = int(std::wcslen(w));
  if (!len) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, w, len, nullptr, 0, nullptr, nullptr);
  std::string s(size_t(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, w, len, s.data(), n, nullptr, nullptr);
  return s;
}
}  // namespace
#endif

Utf8Args::Utf8Args(int argc, char** argv) {
#ifdef _WIN32
  (void)argc;
  (void)argv;
  int n = 0;
  wchar_t** wide = CommandLineToArgvW(GetCommandLineW(), &n);
  if (!wide) throw std::runtime_error("cannot read the command line (CommandLineToArgvW)");
  for (int i = 0; i < n; ++i) args_.push_back(utf8_of(wide[i]));
  LocalFree(wide);
  console_codepage_ = GetConsoleOutputCP();  // 0 without a console
  if (console_codepage_) SetConsoleOutputCP(CP_UTF8);
#else
  args_.assign(argv, argv + argc);
#endif
  for (auto& a : args_) pointers_.push_back(a.data());
  pointers_.push_back(nullptr);
}

Utf8Args::~Utf8Args() {
#ifdef _WIN32
  if (console_codepage_) SetConsoleOutputCP(console_codepage_);
#endif
}

}  // namespace common::cli
