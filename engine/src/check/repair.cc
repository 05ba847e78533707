#include "xbase/repair.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <map>
#include <set>

#include "cdx/cdx_file.h"
#include "io/path_text.h"
#include "dbf/field_codec.h"
#include "dbf/header.h"
#include "dbf/record_count.h"
#include "lock/exclusive_hold.h"
#include "memo/memo_file.h"
#include "table/table_files.h"
#include "util/coding.h"
#include "xbase/table.h"

namespace fs = std::filesystem;

namespace xbase {

namespace {

constexpr const char* kRecnoField = "XB_RECNO";

std::string stamp_now(FileSystem& fsys) {
  std::tm tm = fsys.local_time();
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

std::optional<fs::path> companion(FileSystem& fsys, const fs::path& table, const std::string& ext) {
  return find_companion(fsys, table, ext);
}

// The DBF and every companion file that exists (memo, structural index; a .dbc's .dct and
// .dcx as the table names them).
std::vector<fs::path> table_files(FileSystem& fsys, const fs::path& dbf, const TableInfo& info) {
  std::vector<fs::path> out{dbf};
  auto add = [&](const fs::path& p) {
    if (!p.empty() && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  };
  for (const char* ext : {".fpt", ".dbt", ".cdx", ".mdx"})
    if (auto p = companion(fsys, dbf, ext)) add(*p);
  add(path_from_utf8(info.memo_path));
  if (info.structural_index_path) add(path_from_utf8(*info.structural_index_path));
  return out;
}

// The header bytes that can be put right without guessing: the record count to what the file
// holds (a record cut short at the end goes), the end-of-file marker.
void repair_header(FileSystem& fsys, const fs::path& path, std::vector<std::string>& actions) {
  auto f = fsys.open(path, OpenMode::read_write);
  std::vector<Warning> ignored;
  dbf::Header h = dbf::read_header(*f, ignored);
  uint64_t size = f->size();
  // The records as opening the table counts them: with a marker after the header's count,
  // what lies beyond is garbage another writer left, not records.
  const dbf::RecordCount rc = dbf::count_records(*f, h.header_len, h.record_len, size, h.count);
  const uint64_t whole = rc.count, end = rc.end;
  uint64_t rest = rc.marked ? 1 : rc.tail;  // the marker, or the bytes of a record cut short
  uint8_t b = 0;
  if (rest > 1 || (rest == 1 && (f->read_at(end, &b, 1) != 1 || b != 0x1A))) {
    f->truncate(end);
    actions.push_back(fmt::format("cut {} bytes of a partial record off the end", size - end));
    rest = 0;
  } else if (rest == 1 && size > end + 1) {
    f->truncate(end + 1);
    actions.push_back(fmt::format("cut {} bytes after the end-of-file marker (kept in the backup)",
                                  size - end - 1));
  }
  if (rest == 0) {
    uint8_t eof = 0x1A;
    f->write_at(end, &eof, 1);
    actions.push_back("wrote the end-of-file marker");
  }
  if (!(h.mm == 0 && h.dd == 0) && !valid_date(Date{2000, h.mm, h.dd})) {  // (2000: a leap year, any day of the stored month passes)
    std::tm tm = fsys.local_time();
    dbf::stamp_header(h, h.info.format, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    f->write_at(1, h.raw.data() + 1, 3);
    actions.push_back("set the last-update date to today");
  }
  // Reading took the record length from the field descriptors when the header's is too short
  // (records are that far apart); the header says so from now on.
  uint8_t stored_len[2] = {0, 0};
  f->read_at(10, stored_len, 2);
  if (const uint16_t stored = coding::get_le16(stored_len); stored < h.record_len) {
    uint8_t l[2];
    coding::put_le16(l, h.record_len);
    f->write_at(10, l, 2);
    actions.push_back(fmt::format("set the header's record length from {} to {}, what the fields need",
                                  stored, h.record_len));
  }
  if (h.count != whole) {
    uint8_t c[4];
    coding::put_le32(c, uint32_t(whole));
    f->write_at(4, c, 4);
    actions.push_back(fmt::format("set the header's record count from {} to {}", h.count, whole));
  }
  f->sync();
}

// The memo file's header: a file shorter than its header (left empty by a full disk or a
// copy cut short) is written anew, empty, so that memos can be written again; an FPT's next
// free block outside the file is set to the file's end, where the next memo goes.
void repair_memo_header(FileSystem& fsys, const fs::path& path, const TableInfo& info,
                        std::vector<std::string>& actions) {
  if (!info.has_memo) return;
  if (info.memo_path.empty()) {
    memo::MemoKind kind = dbf::describe_version(info.version, path.string()).memo;
    std::optional<fs::path> mp;
    if (kind != memo::MemoKind::none) mp = find_companion(fsys, path, memo_ext(kind, path));
    else if ((mp = find_companion(fsys, path, ".fpt"))) kind = memo::MemoKind::fpt;
    else if ((mp = find_companion(fsys, path, ".dbt"))) kind = memo::MemoKind::dbt3;
    if (!mp) return;  // missing: perhaps misplaced, so not made up here
    const uint64_t old_size = fsys.open(*mp, OpenMode::read_only)->size();
    if (old_size >= 512) return;
    auto m = memo::MemoFile::create(kind, fsys.open(*mp, OpenMode::create), info.memo_block_size,
                                    path.stem().string(), false);
    m->file().sync();
    actions.push_back(fmt::format("wrote a new empty memo file {} ({} bytes were there, shorter than "
                                  "its 512-byte header)",
                                  mp->filename().string(), old_size));
    return;
  }
  const std::string ext = path_from_utf8(info.memo_path).extension().string();
  if (ext != ".fpt" && ext != ".FPT") return;
  auto f = fsys.open(path_from_utf8(info.memo_path), OpenMode::read_write);
  uint8_t h[8];
  if (f->read_at(0, h, 8) < 8) return;
  const uint32_t bs = std::max<uint32_t>(1, coding::get_be16(h + 6));
  const uint64_t end = (f->size() + bs - 1) / bs, first = (512 + bs - 1) / bs;
  const uint32_t next = coding::get_be32(h);
  if (next >= first && next <= end) return;
  const uint32_t fixed = uint32_t(std::max(first, end));
  uint8_t b[4];
  coding::put_be32(b, fixed);
  f->write_at(0, b, 4);
  f->sync();
  actions.push_back(fmt::format("set the memo file's next free block from {} to {}", next, fixed));
}

void set_structural_flag(FileSystem& fsys, const fs::path& path, bool on) {
  auto f = fsys.open(path, OpenMode::read_write);
  uint8_t flags = 0;
  f->read_at(28, &flags, 1);
  flags = on ? uint8_t(flags | 1) : uint8_t(flags & ~1);
  f->write_at(28, &flags, 1);
  f->sync();
}

// What a broken memo pointer still leads to: the bytes of an FPT block whose length runs past
// the end, up to the end; nothing when the block itself lies outside the file.
std::optional<std::string> salvage_memo(FileSystem& fsys, const fs::path& memo_path, uint32_t bs, uint32_t block,
                                        bool fpt) {
  if (!fpt || memo_path.empty()) return std::nullopt;
  auto f = fsys.open(memo_path, OpenMode::read_only);
  uint64_t off = uint64_t(block) * bs, size = f->size();
  if (off + 8 > size || off < 512) return std::nullopt;
  uint8_t h[8];
  f->read_at(off, h, 8);
  uint64_t len = std::min<uint64_t>(coding::get_be32(h + 4), size - off - 8);
  std::string s(size_t(len), '\0');
  f->read_at(off + 8, s.data(), s.size());
  return s;
}

class Quarantine {
 public:
  Quarantine(FileSystem& fsys, const fs::path& table, const Table& src) : fsys_(fsys), src_(src) {
    path_ = table.parent_path() / (table.stem().string() + ".quarantine" + table.extension().string());
  }
  const fs::path& path() const { return path_; }
  uint64_t records() const { return records_; }

  // A copy of the record's bytes (memo pointers cleared); returns its record number there.
  uint32_t add(uint32_t recno, std::span<const uint8_t> bytes) {
    open();
    const auto& qd = q_->descriptors();
    std::vector<uint8_t> rec(q_->info().record_length, ' ');
    for (const auto& qf : qd)
      if (qf.type == FieldType::nullflags) std::memset(rec.data() + qf.offset, 0, qf.length);
    for (const auto& f : src_.descriptors()) {
      auto qf = std::find_if(qd.begin(), qd.end(), [&](const Field& x) { return x.name == f.name; });
      if (qf == qd.end()) continue;
      std::memcpy(rec.data() + qf->offset, bytes.data() + f.offset, std::min(f.length, qf->length));
      if (qf->is_memo()) dbf::set_memo_pointer(*qf, rec.data(), 0);
    }
    auto rf = std::find_if(qd.begin(), qd.end(), [](const Field& x) { return x.name == kRecnoField; });
    std::string digits = fmt::format("{:>10}", recno);
    std::memcpy(rec.data() + rf->offset, digits.data(), std::min<size_t>(rf->length, digits.size()));
    rec[0] = ' ';
    ++records_;
    return q_->append_bytes(rec);
  }
  void save_memo(uint32_t qrec, const std::string& field, const std::string& data, bool binary) {
    open();
    q_->update(qrec, q_->field_index_or_throw(field), binary ? Value::binary(data) : Value::text(data));
  }
  void close() {
    if (q_) q_->close();
    q_.reset();
  }

 private:
  void open() {
    if (q_) return;
    if (fsys_.exists(path_)) {
      OpenOptions o;
      o.fs = &fsys_;
      o.exclusive = true;
      q_ = Table::open(path_, o);
      if (!q_->field_index(kRecnoField))
        throw Error(Errc::usage, {path_.string(), {}, {}, {}},
                    "a table of the quarantine's name exists but is not a quarantine table");
      return;
    }
    std::vector<Field> fields = src_.fields();
    Field r;
    r.name = kRecnoField;
    r.type = FieldType::numeric;
    r.length = 10;
    fields.push_back(r);
    CreateOptions c;
    c.fs = &fsys_;
    c.format = src_.info().format;
    c.codepage = src_.info().codepage_mark ? src_.info().codepage : 0;
    q_ = Table::create(path_, std::move(fields), c);
  }
  FileSystem& fsys_;
  const Table& src_;
  fs::path path_;
  std::unique_ptr<Table> q_;
  uint64_t records_ = 0;
};

bool is_problem(const Finding& f) { return f.severity == Finding::Severity::problem; }

}  // namespace

std::vector<TagSpec> read_tag_specs(const fs::path& cdx, FileSystem& fsys) {
  auto f = cdx::CdxFile::open(fsys.open(cdx, OpenMode::read_only));
  return f->specs();
}

RepairResult repair_table(const fs::path& path, const RepairOptions& opts) {
  RepairResult res;
  FileSystem& fsys = opts.fs ? *opts.fs : FileSystem::os();
  CheckOptions co;
  co.fs = &fsys;
  co.codepage = opts.codepage;
  co.limit = SIZE_MAX;
  res.before = check_table(path, co);
  auto& acts = res.actions;
  if (!res.before.opened) {
    acts.push_back("nothing: the table cannot be opened (" +
                   (res.before.findings.empty() ? std::string("unknown reason") : res.before.findings.front().message) + ")");
    res.after = res.before;
    return res;
  }
  const bool given_tags = opts.tags_from || !opts.tags.empty();
  const bool rebuild_notes = std::any_of(res.before.findings.begin(), res.before.findings.end(),
                                         [](const Finding& f) { return f.repair_rebuilds; });
  if (res.before.problems() == 0 && !given_tags && !rebuild_notes) {
    res.after = res.before;
    return res;
  }
  // A file that could not be read (a dropped connection, a bad sector) is nothing to repair:
  // rebuilt from what could be read, it would lose what could not.
  const auto unread = std::find_if(res.before.findings.begin(), res.before.findings.end(),
                                   [](const Finding& f) { return is_problem(f) && f.area == "io"; });
  if (unread != res.before.findings.end()) {
    acts.push_back("nothing: " + unread->message + "; check again once it can be read");
    res.after = res.before;
    return res;
  }
  // Exclusive use, or nothing at all, held from here to the end: the edits below go through
  // several handles and opens, and no other program may open the table between them.
  lock::ExclusiveHold hold(fsys, path);
  OpenOptions excl;
  excl.fs = &fsys;
  excl.exclusive = true;
  excl.codepage = opts.codepage;
  { auto probe = Table::open(path, excl); }
  // What another writer changed before the hold was taken is seen.
  res.before = check_table(path, co);

  std::set<std::string> areas;
  for (const auto& f : res.before.findings)
    if (is_problem(f)) areas.insert(f.area);
  std::set<uint32_t> bad_records;
  for (const auto& f : res.before.findings)
    if (is_problem(f) && (f.area == "record" || f.area == "memo") && f.where.record) bad_records.insert(*f.where.record);
  const TableInfo info = [&] {
    OpenOptions ro;
    ro.fs = &fsys;
    ro.read_only = true;
    ro.memo_at_open = true;  // memo_path and block size below
    ro.codepage = opts.codepage;
    return Table::open(path, ro)->info();
  }();
  const bool had_flag = info.structural_index;
  const bool rebuild_index = given_tags || rebuild_notes || areas.count("index") || !bad_records.empty() ||
                             (had_flag && !info.structural_index_path);

  // Tag definitions: given, else from the table's own CDX while its directory reads.
  std::vector<TagSpec> specs = opts.tags;
  std::string specs_from = "the given definitions";
  if (specs.empty() && opts.tags_from) {
    specs = read_tag_specs(*opts.tags_from, fsys);
    specs_from = opts.tags_from->filename().string();
  }
  if (specs.empty() && info.structural_index_path) {
    try {
      specs = read_tag_specs(*info.structural_index_path, fsys);
      specs_from = "the damaged index's own directory";
    } catch (const Error&) {
    }
  }

  // An owning program rebuilds the index itself: the flag stays for it.
  const bool keep_flag = had_flag && specs.empty() && !opts.index_owner.empty();

  // Nothing else to do: no backup, no change (a rerun must not pile up backups).
  if (keep_flag && areas == std::set<std::string>{"index"} && bad_records.empty() &&
      !info.structural_index_path && !opts.dry_run) {
    acts.push_back("left the structural-index flag: " + opts.index_owner);
    res.after = res.before;
    return res;
  }

  if (opts.dry_run) {
    std::set<std::string> seen;
    for (const auto& f : res.before.findings) {
      if (!is_problem(f) || f.repair.empty()) continue;
      const bool owned = keep_flag && f.area == "index" && f.repair.find("clears the structural-index flag") != std::string::npos;
      const std::string what = owned ? "leave the structural-index flag: " + opts.index_owner : f.repair;
      if (seen.insert(what).second) acts.push_back("would: " + what);
    }
    if (rebuild_index && !specs.empty())
      acts.push_back(fmt::format("would rebuild the structural index with {} tags from {}", specs.size(), specs_from));
    res.after = res.before;
    return res;
  }

  // 1. Copies of the originals.
  fs::path backup = opts.backup_dir.empty()
                        ? path.parent_path() / "xbase-backup" / (path.stem().string() + "-" + stamp_now(fsys))
                        : opts.backup_dir;
  fsys.create_directories(backup);
  if (fsys.exists(backup / path.filename()))  // never over an earlier backup
    backup += fmt::format("-{:08x}", uint32_t(fsys.random()));
  fsys.create_directories(backup);
  for (const auto& f : table_files(fsys, path, info)) copy_durably(fsys, f, backup / f.filename());
  res.backup = backup;
  res.changed = true;
  acts.push_back("copied the original files to " + backup.string());

  // 2. Header, and the memo file's.
  repair_header(fsys, path, acts);
  repair_memo_header(fsys, path, info, acts);

  // 3. The index goes while records are repaired (their keys may not evaluate); it is built
  //    again at the end.
  if (rebuild_index && info.structural_index_path) {
    fsys.remove(*info.structural_index_path);
  }
  if (rebuild_index && had_flag && !keep_flag) set_structural_flag(fsys, path, false);

  // 4. Records and memos.
  if (!bad_records.empty()) {
    auto t = Table::open(path, excl);
    Quarantine q(fsys, path, *t);
    const Field* nf = nullptr;
    for (const auto& f : t->descriptors())
      if (f.type == FieldType::nullflags) nf = &f;
    std::unique_ptr<memo::MemoFile> memo;
    const bool fpt = path_from_utf8(info.memo_path).extension().string().size() == 4 &&
                     (path_from_utf8(info.memo_path).extension() == ".fpt" || path_from_utf8(info.memo_path).extension() == ".FPT");
    // Memo blocks used twice: the records after the first get their own copy.
    std::map<uint32_t, uint32_t> first_user;
    std::set<std::pair<uint32_t, std::string>> shared_uses;
    for (const auto& f : res.before.findings)
      if (is_problem(f) && f.shared_memo && f.where.record && !f.where.field.empty())
        shared_uses.insert({*f.where.record, f.where.field});
    uint64_t done = 0;
    for (uint32_t r : bad_records) {
      if (opts.progress) opts.progress(++done, bad_records.size());
      if (r > t->record_count()) continue;
      Record rec = t->read(r);
      std::vector<uint8_t> bytes(rec.bytes().begin(), rec.bytes().end());
      std::vector<size_t> blank;
      struct MemoFix {
        size_t field;
        std::optional<std::string> data;  // what could be read (saved to the quarantine)
        bool binary;
        bool own_copy;                    // readable, shared: give the record its own block
      };
      std::vector<MemoFix> memos;
      bool bad_flag = bytes[0] != ' ' && bytes[0] != '*';
      for (size_t i = 0; i < t->fields().size(); ++i) {
        const Field& f = t->fields()[i];
        bool memo_like = f.is_memo() || (f.type == FieldType::double_ && info.format != Format::vfp);
        if (!memo_like) {
          try {
            (void)rec.get(i);
          } catch (const Error&) {
            blank.push_back(i);
          }
          continue;
        }
        dbf::CodecContext ctx;
        ctx.format = info.format;
        ctx.nullflags = nf;
        uint32_t block = 0;
        try {
          block = dbf::memo_pointer(f, bytes.data(), ctx);
        } catch (const Error&) {
          memos.push_back({i, std::nullopt, f.binary || f.type != FieldType::memo, false});
          continue;
        }
        if (!block) continue;
        try {
          Value v = rec.get(i);
          if (shared_uses.count({r, f.name}))
            memos.push_back({i, v.is_null() ? std::string() : v.str(), v.kind() == Value::Kind::binary, true});
        } catch (const Error&) {
          memos.push_back({i, salvage_memo(fsys, path_from_utf8(info.memo_path), info.memo_block_size, block, fpt),
                           f.binary || f.type != FieldType::memo, false});
        }
      }
      bool to_quarantine = bad_flag || !blank.empty() ||
                           std::any_of(memos.begin(), memos.end(), [](const MemoFix& m) { return !m.own_copy; });
      if (to_quarantine) {
        uint32_t qr = q.add(r, bytes);
        for (const auto& m : memos)
          if (m.data && !m.data->empty()) {
            q.save_memo(qr, t->fields()[m.field].name, *m.data, m.binary);
            ++res.memos_saved;
          }
        acts.push_back(fmt::format("record {}: copied to {} as record {}", r, q.path().filename().string(), qr));
      }
      std::vector<std::pair<size_t, Value>> changes;
      for (size_t i : blank) changes.push_back({i, Value::empty()});
      for (const auto& m : memos) changes.push_back({m.field, Value::text("")});
      if (!changes.empty()) {
        // Raw blanking for fields whose bytes the codec refuses even to replace.
        t->update(r, changes);
        std::string names;
        for (const auto& [i, v] : changes) names += (names.empty() ? "" : ", ") + t->fields()[i].name;
        acts.push_back(fmt::format("record {}: cleared {}", r, names));
      }
      for (const auto& m : memos)
        if (m.own_copy && m.data && !m.data->empty()) {
          t->update(r, m.field, m.binary ? Value::binary(*m.data) : Value::text(*m.data));
          acts.push_back(fmt::format("record {}: field {} has its own copy of its memo now", r,
                                     t->fields()[m.field].name));
        }
      if (bad_flag) {
        // Deleted, as check said: a record of garbage must not count (the original is in the
        // quarantine table).
        t->remove(r);
        acts.push_back(fmt::format("record {}: deletion flag 0x{:02X} set to '*' (deleted)", r, bytes[0]));
      }
    }
    res.quarantined = q.records();
    if (q.records()) res.quarantine = q.path();
    q.close();
    t->close();
  }

  // 5. The structural index, built again from the definitions.
  if (rebuild_index) {
    if (!specs.empty()) {
      auto t = Table::open(path, excl);
      for (const auto& s : specs) {
        try {
          t->create_tag(s);
        } catch (const Error& e) {
          acts.push_back(fmt::format("tag {} could not be built again: {}", s.name, e.detail()));
        }
      }
      t->close();
      acts.push_back(fmt::format("rebuilt the structural index with {} tags from {}", specs.size(), specs_from));
    } else if (keep_flag) {
      acts.push_back("left the structural-index flag: " + opts.index_owner);
    } else if (had_flag) {
      acts.push_back("cleared the structural-index flag: no tag definitions were available "
                     "(give --tags-from OTHER.CDX or --tags FILE to rebuild the index)");
    }
  }
  res.after = check_table(path, co);
  return res;
}

}  // namespace xbase
