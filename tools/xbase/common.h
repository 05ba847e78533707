// What every `xbase` command shares: argument parsing, opening tables, exit codes.
#pragma once

#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/cli/command_args.h"
#include "common/text/terminal_text.h"
#include "xbase/error.h"
#include "xbase/path_text.h"
#include "xbase/table.h"

namespace xbase::tool {

enum Exit { kOk = 0, kProblems = 1, kFailed = 2 };

using common::cli::Args;
using common::cli::parse_args;
using common::cli::UsageError;

// Opens a table honouring --codepage; warnings are printed to stderr as they come.
std::unique_ptr<Table> open_table(const std::string& path, const Args& a, bool read_only,
                                  bool write_behind = false);

// fmt::print to stdout for people: control characters from the files (names, values) are
// shown escaped (common/text/terminal_text.h), never sent to the terminal raw.
template <typename... T>
void print_text(fmt::format_string<T...> f, T&&... args) {
  std::cout << common::terminal_text(fmt::format(f, std::forward<T>(args)...));
}

// Prints the table's warnings to stderr once; returns kProblems when there were any that
// `check` would call a problem (notes, such as another writer's missing end-of-file marker,
// leave the exit code 0, as they do in `check`).
int report_warnings(const Table& t);
bool is_note(const Warning& w);
int warnings_exit_code(const Table& t);

int cmd_info(int argc, char** argv);
// xbase info DB.dbc: the tables, fields, indexes, relations, rules and triggers of a database.
int info_database(const std::string& path, bool json);
int cmd_dump(int argc, char** argv);
int cmd_create(int argc, char** argv);
int cmd_load(int argc, char** argv);
int cmd_index(int argc, char** argv);
int cmd_reindex(int argc, char** argv);
int cmd_seek(int argc, char** argv);
int cmd_locks(int argc, char** argv);
int cmd_conflicts(int argc, char** argv);
int cmd_check(int argc, char** argv);
int cmd_repair(int argc, char** argv);
int cmd_pack(int argc, char** argv);
int cmd_doctor(int argc, char** argv);
int cmd_export(int argc, char** argv);  // not in the Windows build (no libpq there)

}  // namespace xbase::tool
