#include "xbase/absolute_path.h"

#ifdef _WIN32
#include <windows.h>

#include <string>
#endif

namespace xbase {

std::filesystem::path absolute_path(const std::filesystem::path& p) {
#ifdef _WIN32
  const std::wstring in = p.empty() ? std::wstring(L".") : p.native();
  DWORD n = GetFullPathNameW(in.c_str(), 0, nullptr, nullptr);
  if (n == 0) return p;
  std::wstring out(n, L'\0');
  n = GetFullPathNameW(in.c_str(), n, out.data(), nullptr);
  if (n == 0 || n >= out.size()) return p;
  out.resize(n);
  return std::filesystem::path(out);
#else
  return std::filesystem::absolute(p).lexically_normal();
#endif
}

}  // namespace xbase
