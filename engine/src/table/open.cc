// Opening and creating a table: header, record count, codepage, memo file, structural index;
// and finishing a pack that stopped between its renames.
#include <fmt/format.h>

#include <algorithm>
#include <exception>

#include "dbf/record_count.h"
#include "table/table_files.h"
#include "journal/recovery.h"
#include "table/table_impl.h"
#include "util/clock.h"
#include "util/side_by_side.h"
#include "xbase/codepage.h"
#include "xbase/database.h"

namespace xbase {

namespace fs = std::filesystem;

namespace {

// A pack that stopped between its renames leaves T.dbf.bak (and T.fpt.bak) behind: put the
// originals back before anything reads the table. Pack renames the memo file first, then the
// .dbf, then puts the new ones in place.
//
// The memo files to put back: with the .dbf missing every memo .bak is an original; with the
// .dbf there only one whose memo file is gone (the pack stopped after its first rename).
std::vector<fs::path> memo_baks(FileSystem& fs, const fs::path& path, bool dbf_missing) {
  std::vector<fs::path> out;
  for (const std::string& ext : {memo_ext(memo::MemoKind::fpt, path), std::string(".dbt")}) {
    auto m = companion_name(path, ext);
    if (fs.exists(with_suffix(m, ".bak")) && (dbf_missing || !fs.exists(m))) out.push_back(m);
  }
  return out;
}

void put_back(FileSystem& fs, const fs::path& path, const std::vector<fs::path>& memos, bool dbf,
              bool read_only) {
  if (read_only)
    throw Error(Errc::corrupt, {path.string(), {}, {}, {}},
                "an interrupted pack left the original files as .bak; open the table read-write "
                "once to restore them");
  for (const auto& m : memos) fs.rename(with_suffix(m, ".bak"), m);
  if (dbf) fs.rename(with_suffix(path, ".bak"), path);
  fs.sync_dir(path.parent_path());
}

// Called when the .dbf could not be opened because it is missing. With the .dbf in place
// nothing is looked for (a stat per table on a share, at every open): a memo file left as .bak
// alone is put back when the memo lookup misses it (restore_memo_bak).
void recover_interrupted_pack(FileSystem& fs, const fs::path& path, bool read_only) {
  if (fs.exists(path) || !fs.exists(with_suffix(path, ".bak"))) return;
  put_back(fs, path, memo_baks(fs, path, true), true, read_only);
}

// The .dbf is there, its memo file not: whether a pack that stopped after renaming the memo
// file left it as .bak (then it is back).
bool restore_memo_bak(FileSystem& fs, const fs::path& path, bool read_only) {
  auto memos = memo_baks(fs, path, false);
  if (memos.empty()) return false;
  put_back(fs, path, memos, false, read_only);
  return true;
}

// How many database containers this thread is reading for a table's names. A container is
// itself a table, and a damaged or hostile one may carry a backlink of its own (to itself, to
// the table that led to it): while one is read, no backlink is followed (the fuzzer found the
// endless recursion of a table whose backlink names itself).
thread_local int databases_being_read = 0;
struct ReadingDatabase {
  ReadingDatabase() { ++databases_being_read; }
  ~ReadingDatabase() { --databases_being_read; }
};
}  // namespace

void Table::Impl::follow_backlink() {
  if (info.backlink.empty() || lower_ascii(path.extension().string()) == ".dbc" || databases_being_read > 0) return;
  const std::string file = path.string();
  FileSystem& base = *options.fs;
  const fs::path dbc = resolve_backlink(base, path, info.backlink);
  if (!base.exists(dbc)) {
    warn({WarnCode::database_missing, {file, uint64_t(32 + 32 * hdr.fields.size() + 1), {}, {}},
          fmt::format("its database {} (backlink \"{}\") is missing: fields keep their short names, "
                      "and tags whose expressions use long names cannot be maintained",
                      dbc.string(), info.backlink)});
    return;
  }
  Database db;
  try {
    ReadingDatabase guard;
    db = Database::read(dbc, &base);
  } catch (const Error& e) {
    if (e.code() == Errc::lock_timeout) throw;
    warn({WarnCode::database_unreadable, e.where(),
          e.detail() + "; fields keep their short names"});
    return;
  }
  for (auto& w : db.warnings) warn(std::move(w));
  const DatabaseTable* t = db.table_for(path);
  if (!t) {
    warn({WarnCode::database_table_unknown, {file, {}, {}, {}},
          fmt::format("database {} has no table {}: fields keep their short names", dbc.string(),
                      path.filename().string())});
    return;
  }
  if (t->fields.size() != fields.size()) {
    warn({WarnCode::database_table_unknown, {file, {}, {}, {}},
          fmt::format("database {} lists {} fields for table {}, the table has {}: fields keep "
                      "their short names",
                      dbc.string(), t->fields.size(), t->name, fields.size())});
    return;
  }
  // The DBC's field records are in the DBF's field order (docs/vfp-dbc.md); the short names
  // are cut or made unique by VFP, so the order is what ties them.
  size_t i = 0;
  for (auto& f : hdr.fields)
    if (f.type != FieldType::nullflags) f.long_name = t->fields[i++].name;
  for (size_t k = 0; k < fields.size(); ++k) fields[k].long_name = t->fields[k].name;
  info.database_path = dbc.string();
  info.database_table = t->name;
  info.database_triggers = t->has_triggers();
  info.database_rules = t->has_field_rules();
}

memo::MemoFile* Table::Impl::open_memo() {
  if (memo) return memo.get();
  if (memo_path.empty()) return nullptr;
  if (memo_error) throw *memo_error;
  // As the open did before it read anything: a commit another process left unfinished is
  // completed first (nothing to do when the folder was settled within the last second).
  settle_for_read();
  try {
    auto mf = fs->open(memo_path, read_only ? OpenMode::read_only : OpenMode::read_write);
    std::vector<Warning> mw;
    memo = memo::MemoFile::open(memo_kind, std::move(mf), write_behind, mw);
    memo->set_cache(!shared);  // nobody else writes it meanwhile
    for (auto& w : mw) warn(std::move(w));
  } catch (const Error& e) {
    Location where = e.where();
    if (where.file.empty()) where.file = memo_path.string();
    Error failed(e.code(), where, e.detail() + "; memo fields cannot be read");
    // Warned once: a table a long-lived program keeps open would gather one per memo use.
    if (!memo_warned) warn({WarnCode::memo_unreadable, where, failed.detail()});
    memo_warned = true;
    // The operating system's refusal (a dropped connection, a share out of reach) or a lock
    // is asked again at the next memo use: kept, it failed every memo of a front end's open
    // table until the program restarted. Anything else (not a memo file) is kept: every later
    // memo use fails the same way without asking the file again.
    if (e.code() != Errc::io && !busy(e.code())) {
      memo_error = failed;
      info.memo_path.clear();
    }
    throw failed;
  }
  info.memo_block_size = memo->block_size();
  return memo.get();
}

std::unique_ptr<Table> Table::open(const fs::path& path, const OpenOptions& opts) {
  auto im = std::make_unique<Impl>();
  FileSystem& base = opts.fs ? *opts.fs : FileSystem::os();
  im->staging = std::make_unique<journal::StagingFs>(base);
  im->fs = im->staging.get();
  im->path = path;
  im->read_only = opts.read_only;
  im->write_behind = opts.write_behind;
  im->on_warning = opts.on_warning;
  im->sort_memory = opts.sort_memory;
  im->options = opts;
  im->options.fs = &base;
  im->shared = !opts.exclusive;
  if (opts.exclusive && opts.read_only)
    throw Error(Errc::usage, {path.string(), {}, {}, {}}, "exclusive use needs read-write access");
  if (opts.write_behind && !opts.exclusive)
    throw Error(Errc::usage, {path.string(), {}, {}, {}}, "write-behind needs exclusive use");
  // A commit a process could not finish is completed before anything is read. A table opened
  // for shared use is read as any open table is (records.cc, settle_for_read): the folder
  // was settled within the last second, or it is settled now. Only reads under a lock need
  // the folder settled at that moment, and a transaction settles after each lock it takes.
  im->watch = journal::FolderWatch::for_folder(base, journal::folder_of(path));
  if (opts.keep_spare_journal) im->watch->keep_spare();
  const auto settled = opts.exclusive
                           ? im->watch->settle(nullptr, opts.internal_lock_timeout)
                           : im->watch->settle_for_read(journal::kReaderSettleInterval, opts.internal_lock_timeout);
  im->replays_seen = im->watch->replay_changes();  // nothing of this table decoded yet
  const OpenMode mode = opts.read_only ? OpenMode::read_only : opts.exclusive ? OpenMode::exclusive : OpenMode::read_write;
  try {
    im->dbf = im->fs->open(path, mode);
  } catch (const Error& e) {
    if (e.code() != Errc::not_found) throw;
    // Opened again also when another process put the files back meanwhile; a .dbf that is
    // simply missing fails again with the same error.
    recover_interrupted_pack(*im->fs, path, opts.read_only);
    im->dbf = im->fs->open(path, mode);
  }
  {
    im->locks.take_use(*im->fs, *im->dbf, opts.exclusive, path.string());
  }
  std::vector<Warning> ws;
  std::vector<uint8_t> start;  // the file's first bytes, read with the header
  im->hdr = dbf::read_header(*im->dbf, ws, &start);
  if (im->hdr.dbase2 && !opts.read_only)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                "a dBASE II table (version byte 0x02) can be opened read-only only: convert it "
                "(xbase dump, then xbase create and load) to change it");
  // DATASUS .dbc files keep a DBF header but compress the records (a CRC32, then PKWare DCL
  // "implode" data, whose first two bytes are 0/1 and the dictionary size 4..6): refuse them
  // instead of reading compressed bytes as records.
  if (lower_ascii(path.extension().string()) == ".dbc" && im->hdr.info.format != Format::vfp) {
    uint8_t dcl[2] = {0xFF, 0xFF};
    if (im->dbf->read_at(uint64_t(im->hdr.header_len) + 4, dcl, 2) == 2 && dcl[0] <= 1 &&
        dcl[1] >= 4 && dcl[1] <= 6)
      throw Error(Errc::format, {path.string(), im->hdr.header_len, {}, {}},
                  "not a DBF table: a DATASUS compressed .dbc file (PKWare DCL-imploded records)");
  }
  for (auto& w : ws) im->warn(std::move(w));
  for (const auto& s : settled.stale)
    im->warn({WarnCode::journal_stale, {s, {}, {}, {}},
              "a commit of a program that stopped could not be completed: another program has "
              "changed the same bytes since; its journal is kept for the administrator"});
  im->build_fields();
  auto& h = im->hdr;
  const std::string file = path.string();

  // Record count: the header's, checked against what the file size holds. A header read that
  // came back short ended at the end of the file (File::read_at): the size is known without
  // asking the server again.
  const uint64_t size = start.size() < dbf::kHeaderReadAhead ? start.size() : im->dbf->size();
  const dbf::RecordCount rc = dbf::count_records(*im->dbf, h.header_len, h.record_len, size, h.count);
  const uint64_t by_size = rc.by_size;
  if (h.count > by_size) {
    im->warn({WarnCode::count_too_high, {file, 4, {}, {}},
              fmt::format("header says {} records but the file holds only {}; reading {}",
                          h.count, by_size, by_size)});
  } else if (rc.marked) {
    im->warn({WarnCode::bytes_after_eof_marker, {file, rc.end, {}, {}}, "bytes after the end-of-file marker are ignored"});
  } else if (h.count < by_size) {
    im->warn({WarnCode::count_too_low, {file, 4, {}, {}},
              fmt::format("header says {} records but the file holds {}; reading {}", h.count,
                          by_size, by_size)});
  }
  const uint64_t count = std::min<uint64_t>(rc.count, UINT32_MAX);
  if (count == by_size) {  // no marker after the count: what lies after the last record
    if (size == rc.end) {
      im->warn({WarnCode::no_eof_marker, {file, rc.end, {}, {}}, "no end-of-file marker (0x1A) after the last record"});
    } else if (rc.tail > 1 || (rc.tail == 1 && [&] {
                 uint8_t b = 0;
                 if (rc.end < start.size())
                   b = start[rc.end];  // a small table: read with the header a moment ago
                 else
                   im->dbf->read_at(rc.end, &b, 1);
                 return b != 0x1A;
               }())) {
      im->warn({WarnCode::partial_record, {file, rc.end, {}, {}},
                fmt::format("{} bytes after the last whole record are ignored", rc.tail)});
    }
  }
  im->count = im->disk_count = uint32_t(count);

  // Codepage.
  int cp = opts.codepage ? opts.codepage : codepage_from_mark(h.cp_mark);
  if (cp == 0) cp = opts.default_codepage;
  if (!Codepage::known(cp)) {
    im->warn({WarnCode::codepage_unsupported, {file, 29, {}, {}},
              fmt::format("codepage {} (mark 0x{:02X}) is not supported; text is read as {}", cp,
                          h.cp_mark, opts.default_codepage)});
    cp = opts.default_codepage;
  }
  im->cp = &Codepage::get(cp);
  // Field names are codepage bytes too (GBK and Cyrillic names exist); callers see UTF-8.
  for (auto* list : {&im->hdr.fields, &im->fields})
    for (auto& f : *list)
      if (std::any_of(f.name.begin(), f.name.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        f.name = im->cp->decode(f.name);

  // Memo file.
  bool has_memo_fields = std::any_of(im->fields.begin(), im->fields.end(),
                                     [&](const Field& f) { return Impl::in_memo_file(f, h.info.format); });
  if (has_memo_fields) {
    memo::MemoKind kind = h.info.memo;
    std::optional<fs::path> mp;
    auto find_memo = [&] {
      kind = h.info.memo;
      if (kind != memo::MemoKind::none) {
        mp = find_companion(*im->fs, path, memo_ext(kind, path));
      } else if ((mp = find_companion(*im->fs, path, memo_ext(memo::MemoKind::fpt, path)))) {
        kind = memo::MemoKind::fpt;
      } else if ((mp = find_companion(*im->fs, path, ".dbt"))) {
        kind = memo::MemoKind::dbt3;
      }
    };
    find_memo();
    if (!mp && restore_memo_bak(*im->fs, path, opts.read_only)) find_memo();
    if (!mp) {
      im->warn({WarnCode::memo_missing, {file, {}, {}, {}},
                fmt::format("memo file {} is missing; memo fields cannot be read",
                            companion_name(path, memo_ext(kind == memo::MemoKind::none
                                                              ? memo::MemoKind::fpt
                                                              : kind,
                                                          path))
                                .filename()
                                .string())});
    } else {
      // Found: that much is known at open (a missing memo file warns now), the header is read
      // when a memo is first read or written (open_memo), unless the open needs it now.
      im->memo_path = *mp;
      im->memo_kind = kind;
      if (opts.exclusive || opts.memo_at_open) {
        try {
          im->open_memo();
        } catch (const Error&) {  // warned (memo_unreadable)
        }
      }
    }
  }

  TableInfo& in = im->info;
  in.version = h.version;
  in.format = h.info.format;
  in.version_name = h.info.name;
  in.codepage_mark = h.cp_mark;
  in.codepage = cp;
  in.header_count = h.count;
  in.count_by_size = by_size;
  in.header_length = h.header_len;
  in.record_length = h.record_len;
  in.last_update = Date{dbf::expand_year(h.yy, im->today().year), h.mm, h.dd};
  in.flags = h.flags;
  in.structural_index = h.flags & 0x01;
  in.has_memo = has_memo_fields;
  in.memo_path = im->memo_error ? std::string() : im->memo_path.string();
  in.memo_block_size = im->memo ? im->memo->block_size() : 0;  // open_memo sets it later
  im->locks.setup(im->shared, LockLayout(opts.lock_scheme, in.structural_index, h.header_len, h.record_len),
                  opts.lock_wait, LockWait::up_to(opts.internal_lock_timeout), uint32_t(im->fs->random()));
  if (h.info.format == Format::vfp && h.raw.size() >= 32 + 32 * h.fields.size() + 1 + 263) {
    const uint8_t* b = h.raw.data() + 32 + 32 * h.fields.size() + 1;
    size_t n = 0;
    while (n < 263 && b[n]) ++n;
    in.backlink.assign(reinterpret_cast<const char*>(b), n);
  }
  // Long names before the indexes: their expressions use them.
  im->follow_backlink();
  if (in.structural_index) {
    bool mdx = in.format == Format::dbase4;
    const std::string ext = mdx ? ".mdx" : index_ext(path);
    // The index is opened at its usual spelling without a look first (a round trip on a
    // share); a name missing there is looked for in the other spellings, and an open that
    // failed otherwise goes the usual way again, which reports it.
    std::optional<fs::path> idx;
    std::unique_ptr<File> opened;
    if (!mdx) {
      try {
        if (auto got = open_companion_as_spelt(*im->fs, path, ext,
                                               opts.read_only ? OpenMode::read_only : OpenMode::read_write)) {
          idx = std::move(got->first);
          opened = std::move(got->second);
        }
      } catch (const Error&) {
      }
    }
    if (!idx) idx = find_companion(*im->fs, path, ext);
    if (idx) {
      in.structural_index_path = idx->string();
      if (!mdx) im->open_structural_index(*idx, opts.read_only, std::move(opened));
    } else {
      im->warn({WarnCode::structural_index_missing, {file, 28, {}, {}},
                fmt::format("the header announces a structural index but {} is missing",
                            companion_name(path, ext).filename().string())});
    }
  }
  return std::unique_ptr<Table>(new Table(std::move(im)));
}

std::vector<std::unique_ptr<Table>> Table::open_all(const std::vector<fs::path>& paths, const OpenOptions& opts) {
  FileSystem& base = opts.fs ? *opts.fs : FileSystem::os();
  std::vector<std::unique_ptr<Table>> out(paths.size());
  if (std::exception_ptr e = run_side_by_side(paths.size(), base.parallel_files(),
                                              [&](size_t i) { out[i] = open(paths[i], opts); })) {
    close_all(out);
    std::rethrow_exception(e);
  }
  return out;
}

std::unique_ptr<Table> Table::create(const fs::path& path, std::vector<Field> fields,
                                     const CreateOptions& opts) {
  FileSystem& fsys = opts.fs ? *opts.fs : FileSystem::os();
  if (!opts.overwrite && fsys.exists(path))
    throw Error(Errc::usage, {path.string(), {}, {}, {}}, "file exists already");
  if (opts.codepage && !Codepage::known(opts.codepage))
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("unknown codepage {}", opts.codepage));
  uint8_t mark = opts.codepage ? mark_from_codepage(opts.codepage) : 0;
  if (opts.codepage && !mark)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("codepage {} has no DBF codepage mark", opts.codepage));
  dbf::Header h = dbf::build_header(opts.format, std::move(fields), mark);
  Date d = util::today(fsys);
  dbf::stamp_header(h, opts.format, d.year, d.month, d.day);
  if (!opts.backlink.empty()) {
    const size_t at = 32 + 32 * h.fields.size() + 1;
    if (opts.format != Format::vfp || opts.backlink.size() > 262 || h.raw.size() < at + 263)
      throw Error(Errc::usage, {path.string(), {}, {}, {}},
                  "a database backlink needs a Visual FoxPro table and a path of at most 262 bytes");
    std::copy(opts.backlink.begin(), opts.backlink.end(), h.raw.begin() + ptrdiff_t(at));
  }
  {
    auto f = fsys.open(path, OpenMode::create);
    std::vector<uint8_t> bytes = h.raw;
    bytes.push_back(0x1A);
    f->write_at(0, bytes.data(), bytes.size());
  }
  if (h.info.memo != memo::MemoKind::none) {
    auto mp = companion_name(path, memo_ext(h.info.memo, path));
    memo::MemoFile::create(h.info.memo, fsys.open(mp, OpenMode::create), opts.memo_block_size,
                           path.stem().string(), false);
  }
  OpenOptions o;
  o.fs = &fsys;
  o.write_behind = opts.write_behind;
  o.codepage = opts.codepage;
  o.exclusive = opts.exclusive;
  o.lock_scheme = opts.lock_scheme;
  return open(path, o);
}

}  // namespace xbase
