// How the files of a table are named: its memo file (.fpt/.dbt, or FoxPro's own extensions
// for .dbc, .scx, ...), its structural index (.cdx; .dcx for a database container), and the
// temporary and backup names a pack or an index rebuild writes beside them. Companions follow
// the table's case (FIX.DBF -> FIX.FPT); find_companion (xbase/file.h) finds them on disk
// whatever their case.
#pragma once

#include <filesystem>
#include <string>

#include "memo/memo_kind.h"

namespace xbase {

// The memo extension for a table and memo kind (".dbt" for every kind but FPT).
std::string memo_ext(memo::MemoKind k, const std::filesystem::path& table);
// The structural index's extension: ".cdx", or ".dcx" for a database container.
std::string index_ext(const std::filesystem::path& table);
// `table`'s stem with `ext`, in the case of the table's own extension.
std::filesystem::path companion_name(const std::filesystem::path& table, const std::string& ext);
// p + suffix ("T.dbf" + ".bak" -> "T.dbf.bak").
std::filesystem::path with_suffix(const std::filesystem::path& p, const char* suffix);
std::string lower_ascii(std::string s);

}  // namespace xbase
