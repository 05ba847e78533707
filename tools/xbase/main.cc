// xbase: the admin command line for xBase tables.
#include <fmt/format.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#ifdef _WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "common.h"
#include "common/cli/utf8_args.h"
#include "common/text/terminal_text.h"
#include "targets.h"
#include "xbase/check.h"
#include "xbase/codepage.h"

#ifndef XBASE_VERSION  // set by tools/CMakeLists.txt from the project version
#define XBASE_VERSION "(version not set)"
#endif

namespace xbase::tool {

std::unique_ptr<Table> open_table(const std::string& path, const Args& a, bool read_only,
                                  bool write_behind) {
  OpenOptions o;
  o.read_only = read_only;
  o.write_behind = write_behind;
  // Tools that change a table (load, index, reindex) need it to themselves.
  o.exclusive = !read_only;
  o.memo_at_open = true;  // info and conflicts report the memo file as it is
  o.codepage = a.get_int("codepage", 0);
  // --strict: a write to a table whose database defines triggers or rules is refused.
  o.refuse_database_code = a.has("strict");
  if (o.codepage && !Codepage::known(o.codepage))
    throw UsageError(fmt::format("unknown codepage {}", o.codepage));
  auto t = Table::open(follow_table_link(xbase::path_from_utf8(path)), o);
  // --file other.cdx: a standalone index used (and kept up to date) with the structural one.
  std::string extra = a.get("file");
  if (!extra.empty() && std::filesystem::exists(xbase::path_from_utf8(extra))) t->open_index(xbase::path_from_utf8(extra));
  return t;
}

bool is_note(const Warning& w) {
  auto f = finding_for(w);
  return f && f->severity == Finding::Severity::note;
}

int warnings_exit_code(const Table& t) {
  for (const auto& w : t.warnings())
    if (!is_note(w)) return kProblems;
  return kOk;
}

int report_warnings(const Table& t) {
  for (const auto& w : t.warnings())
    std::cerr << (is_note(w) ? "xbase: note: " : "xbase: warning: ")
              << common::terminal_text(w.to_string()) << "\n";
  return warnings_exit_code(t);
}

}  // namespace xbase::tool

namespace {

const char* kUsage = R"USAGE(usage: xbase COMMAND [options]

commands:
  info T.dbf [--json]                         structure, counts, codepage, memo and index files
  dump T.dbf [--format jsonl|csv] [--deleted] [--fields A,B]
                                              records in physical order (JSONL by default)
  create T.dbf --type vfp|fox2|db3|db4 --fields "ID I, NAME C(40), AMOUNT N(12,2) NULL, NOTE M"
               [--codepage 1252] [--memo-block 64]
  load T.dbf FILE.jsonl|FILE.csv [--format jsonl|csv]
                                              appends records (the dump format)
  index T.dbf --tag NAME --on "UPPER(NAME)" [--for "!DELETED()"] [--unique|--candidate] [--descending]
  index T.dbf --tag NAME --drop               adds or removes a tag of the structural .cdx
  reindex T.dbf|DIR... [--tag NAME]           rebuilds tags from their stored definitions
  seek T.dbf --tag NAME KEY [--exact|--soft]  prints the record found (exit 1 when none)
  dump T.dbf --tag NAME [--recno-only]        records in a tag's order
  locks T.dbf [--scheme vfp|clipper|harbour64] [--json]
                                              locks anyone holds on the table's files
  conflicts DIR [--recursive [--max-depth N]] [--json] [--limit N]
                                              cloud-sync conflict copies, compared record by
                                              record with their originals; sync-client markers
  check T.dbf|DIR... [--json]                 header, records, memo blocks and every tag
                                              checked (read-only; exit 1 on problems)
  repair T.dbf|DIR... [--dry-run] [--tags-from OTHER.CDX | --tags FILE] [--json]
                                              fixes what check found without guessing; originals
                                              copied to xbase-backup/ first; undecodable records
                                              kept in T.quarantine.dbf
  pack T.dbf|DIR...                           removes deleted records, rebuilds memo and tags
                                              (originals copied to xbase-backup/ first)
  export T.dbf|DIR... --to postgresql://... [--schema NAME] [--replace] [--deleted]
                                              tables into PostgreSQL in one transaction (types
                                              mapped, text as UTF-8, nulls kept; deleted records
                                              left out unless --deleted)
  doctor DIR [--json] [--smb-conf FILE]       whether DIR is safe for multi-user data: file
                                              system, mount options, live lock and coherence
                                              tests, space, permissions, sync clients, Samba
options for info, dump, load, index, reindex, seek and export:
  --codepage N    read text as codepage N (1252, 850, ...) whatever the table's mark says
exit codes: 0 success, 1 the file has problems, 2 usage or I/O error
)USAGE";

// What `xbase help CMD` and `xbase CMD --help` print: the usage lines of that command (with
// their continuation lines), the codepage option where it applies, and the exit codes. Empty
// for a command that does not exist.
std::string command_usage(const std::string& cmd) {
  std::istringstream in(kUsage);
  std::string line, out;
  bool in_cmd = false;
  while (std::getline(in, line)) {
    const bool command_line = line.size() > 2 && line.compare(0, 2, "  ") == 0 && line[2] != ' ' && line[2] != '-';
    if (command_line)
      in_cmd = line.compare(2, cmd.size() + 1, cmd + " ") == 0 || line.substr(2) == cmd;
    else if (line.empty() || line[0] != ' ' || line.compare(0, 3, "  -") == 0)
      in_cmd = false;
    if (in_cmd) out += line + "\n";
  }
  if (out.empty()) return out;
  for (const char* c : {"info", "dump", "load", "index", "reindex", "seek", "export"})
    if (cmd == c) out += "  --codepage N    read text as codepage N (1252, 850, ...) whatever the table's mark says\n";
  return "usage: xbase\n" + out + "exit codes: 0 success, 1 the file has problems, 2 usage or I/O error\n";
}

}  // namespace

int main(int program_argc, char** program_argv) {
  using namespace xbase::tool;
  // UTF-8 on every platform (Windows' argv is ANSI): every path below is UTF-8 text.
  common::cli::Utf8Args utf8_args(program_argc, program_argv);
  const int argc = utf8_args.argc();
  char** argv = utf8_args.argv();
#ifdef _WIN32
  // dump's output is data (CSV rows end in CRLF already, JSON lines in LF): the same bytes as
  // on Linux, never a text-mode stdout's LF -> CRLF.
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  // `xbase help check`, `xbase check --help`: that command's help (exit 0; 2 for no such command).
  const bool help_word = argc >= 3 && !std::strcmp(argv[1], "help");
  bool help_option = false;
  for (int i = 2; i < argc && argv[1][0] != '-' && !help_word; ++i)
    help_option = help_option || !std::strcmp(argv[i], "--help") || !std::strcmp(argv[i], "-h");
  if (help_word || help_option) {
    const std::string cmd = argv[help_word ? 2 : 1];
    const std::string text = command_usage(cmd);
    if (text.empty()) {
      std::cerr << "xbase: unknown command \"" << common::terminal_text(cmd) << "\" (see xbase --help)\n";
      return kFailed;
    }
    std::cout << text;
    return kOk;
  }
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? kFailed : kOk;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::cout << "xbase " << XBASE_VERSION << "\n";
    return kOk;
  }
  std::string cmd = argv[1];
  try {
    if (cmd == "info") return cmd_info(argc, argv);
    if (cmd == "dump") return cmd_dump(argc, argv);
    if (cmd == "create") return cmd_create(argc, argv);
    if (cmd == "load") return cmd_load(argc, argv);
    if (cmd == "index") return cmd_index(argc, argv);
    if (cmd == "reindex") return cmd_reindex(argc, argv);
    if (cmd == "seek") return cmd_seek(argc, argv);
    if (cmd == "locks") return cmd_locks(argc, argv);
    if (cmd == "conflicts") return cmd_conflicts(argc, argv);
    if (cmd == "check") return cmd_check(argc, argv);
    if (cmd == "repair") return cmd_repair(argc, argv);
    if (cmd == "pack") return cmd_pack(argc, argv);
    if (cmd == "doctor") return cmd_doctor(argc, argv);
#ifdef XBASE_TOOL_EXPORT
    if (cmd == "export") return cmd_export(argc, argv);
#else
    if (cmd == "export") {
      std::cerr << "xbase export: this build has no PostgreSQL client library (libpq); use the Linux build\n";
      return kFailed;
    }
#endif
    std::cerr << "xbase: unknown command \"" << common::terminal_text(cmd) << "\" (see xbase --help)\n";
    return kFailed;
  } catch (const UsageError& e) {
    std::cerr << "xbase " << common::terminal_text(cmd) << ": " << common::terminal_text(e.what()) << "\n";
    return kFailed;
  } catch (const xbase::Error& e) {
    std::cerr << "xbase " << common::terminal_text(cmd) << ": " << common::terminal_text(e.what()) << "\n";
    switch (e.code()) {
      case xbase::Errc::format:
      case xbase::Errc::corrupt:
      case xbase::Errc::bad_value:
      case xbase::Errc::unsupported: return kProblems;
      default: return kFailed;
    }
  } catch (const std::exception& e) {
    std::cerr << "xbase " << common::terminal_text(cmd) << ": " << common::terminal_text(e.what()) << "\n";
    return kFailed;
  }
}
