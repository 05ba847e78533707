// What every platform's FileSystem shares: existence and directory listings through
// std::filesystem, and finding a table's companion files (memo, index) whatever the case of
// their names.
#include <cctype>

#include "io/path_text.h"
#include "xbase/error.h"
#include "xbase/file.h"

#ifdef _WIN32
#include <windows.h>
#endif

namespace xbase {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The name as the folder spells it. Windows finds `x.dct` for `X.DCT` on disk: the name goes
// into journals and messages, and a Linux process on the same share must find it too.
std::filesystem::path as_on_disk(const std::filesystem::path& p) {
#ifdef _WIN32
  WIN32_FIND_DATAW found;
  HANDLE h = FindFirstFileW(p.wstring().c_str(), &found);
  if (h == INVALID_HANDLE_VALUE) return p;  // not on disk (a test's file system): as asked
  FindClose(h);
  return p.parent_path() / std::filesystem::path(found.cFileName);
#else
  return p;
#endif
}

}  // namespace

bool path_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

std::vector<std::string> list_directory(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir.empty() ? "." : dir, ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    out.push_back(path_utf8(it->path().filename()));
  return out;
}

namespace {
// One of the two exact spellings find_companion tries: the stem as the table has it, the
// extension in the case of the table's own (`own_case`: DOC.DBF -> DOC.CDX) or in the other.
std::filesystem::path spelling(const std::filesystem::path& table, const std::string& ext, bool own_case) {
  const std::string own = path_utf8(table.extension());
  const bool upper = !own.empty() && std::isupper(static_cast<unsigned char>(own.back()));
  std::string e = ext;
  for (auto& c : e) {
    const auto u = static_cast<unsigned char>(c);
    c = char(upper == own_case ? std::toupper(u) : std::tolower(u));
  }
  return table.parent_path() / path_from_utf8(path_utf8(table.stem()) + e);
}
}  // namespace

std::optional<std::pair<std::filesystem::path, std::unique_ptr<File>>> open_companion_as_spelt(
    FileSystem& fs, const std::filesystem::path& table, const std::string& ext, OpenMode mode) {
  const auto p = spelling(table, ext, true);
  try {
    auto f = fs.open(p, mode);
    return std::make_pair(as_on_disk(p), std::move(f));
  } catch (const Error& e) {
    if (e.code() == Errc::not_found) return std::nullopt;
    throw;
  }
}

std::optional<std::filesystem::path> find_companion(FileSystem& fs,
                                                    const std::filesystem::path& table,
                                                    const std::string& ext) {
  auto dir = table.parent_path();
  // Exact spellings first: the cheap and the common case; the table's own case first (a
  // failed look is a round trip on a share: DOC.DBF's memo is DOC.FPT, not DOC.fpt).
  for (bool own_case : {true, false}) {
    auto p = spelling(table, ext, own_case);
    if (fs.exists(p)) return as_on_disk(p);
  }
  std::string want = lower(path_utf8(table.stem()) + ext);
  for (const auto& name : fs.list_dir(dir))
    if (lower(name) == want) return dir / path_from_utf8(name);
  return std::nullopt;
}

}  // namespace xbase
