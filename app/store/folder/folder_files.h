// The files that make a data folder's tables, read as a whole for a backup and a restore:
// copying them all as of one moment while others work, reading a copy's records tolerantly
// (a restore must name a faulty record, not stop at an engine error), rewriting a copy's table
// without some records, and checking a copy's tables. Used by app/backup on copies only (a
// backup's temporary folder, a restore's staging folder); the live folder is only read here,
// under the commit gate.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "store/dictionary.h"
#include "store/row.h"

namespace invoicing::store::folder {

// The files of the dictionary's tables present in `dir` (SCHEMA.DBF, CUSTOMER.DBF,
// CUSTOMER.FPT, CUSTOMER.CDX, ...), in dictionary order.
std::vector<std::string> table_files(const std::filesystem::path& dir);
// The file names a table may have (NAME.DBF, NAME.FPT, NAME.CDX).
std::vector<std::string> table_file_names(const TableDef& t);

// Copies every table file of `dir` into `to` as of one moment: closes the commit gate (waits
// for the commits in flight, new ones wait), completes the commits of programs that died
// halfway (their journals), copies, opens the gate again. Returns the names copied.
std::vector<std::string> copy_tables_at_one_moment(const std::filesystem::path& dir, const std::filesystem::path& to);

// The records a table file holds (deleted ones included).
uint64_t stored_records(const std::filesystem::path& dbf);

// A live record of a copy, each field by name; `problem` says why a field does not decode
// (the row then lacks that field).
struct ScannedRecord {
  uint32_t recno = 0;
  Row row;
  std::string problem;
};
void scan_records(const std::filesystem::path& dbf, const std::function<void(const ScannedRecord&)>& fn);

// Rebuilds a copy's table with the records `keep` returns true for (changed as it leaves
// them), in their order, with the same fields and autoincrement counters; deleted records
// are dropped. The new table has no index tags: upgrade_folder or rebuild_folder_indexes
// makes them as the dictionary declares.
void rewrite_table(const std::filesystem::path& dbf, const std::function<bool(uint32_t recno, Row& row)>& keep);

// A table rebuilt beside itself (`fresh`: NAME.NEW.DBF with its memo and index) takes the place
// of `dbf`, through the engine's FileSystem: the old DBF goes first, the new memo and index are
// renamed over the old ones (an old one the new DBF does not flag goes), the new DBF last, then
// the folder is synced. So an interruption leaves the old DBF beside a NAME.NEW.* that may be
// incomplete, or no DBF at all: finish_table_swap settles both, and running it again is safe.
void swap_in_table(const std::filesystem::path& fresh, const std::filesystem::path& dbf);
// Settles what an interrupted swap_in_table left: no DBF but the new one, the swap is completed;
// the old DBF beside the new one, the new files go (the rebuild starts again). Also completes
// the swap of programs before schema 4, which renamed the new DBF in first: a DBF without
// its new memo and index, renamed in now.
void finish_table_swap(const std::filesystem::path& fresh, const std::filesystem::path& dbf);
// Removes a table's DBF, FPT and CDX where they exist.
void remove_table_files(const std::filesystem::path& dbf);

// What `xbase check` finds wrong with a copy's table: each problem with the record it is in
// (0 when it is not in one record: the header, an index, the memo file's layout).
struct TableProblem {
  uint32_t recno = 0;
  std::string area;  // "header", "record", "memo", "index"
  std::string message;
};
std::vector<TableProblem> check_table_file(const std::filesystem::path& dbf);

}  // namespace invoicing::store::folder
