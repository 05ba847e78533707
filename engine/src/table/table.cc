#include "xbase/table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <ctime>
#include <atomic>
#include <random>
#include <set>

#include "cdx/cdx_file.h"
#include "table/index_set.h"
#include "table/tx_access.h"
#include "dbf/field_codec.h"
#include "dbf/header.h"
#include "journal/journal.h"
#include "journal/staged_file.h"
#include "lock/acquire.h"
#include "lock/table_locks.h"
#include "memo/memo_file.h"
#include "util/clock.h"
#include "util/coding.h"
#include "xbase/codepage.h"
#include "xbase/cursor.h"

namespace xbase {

namespace fs = std::filesystem;

namespace {

constexpr size_t kWindowBytes = 64 * 1024;        // records read per disk read
constexpr size_t kPendingBytes = 4 * 1024 * 1024; // write-behind buffer before it is flushed

Date today() {
  std::tm tm = util::local_now();
  return Date{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

// Header years: >= 100 is dBASE's years-since-1900; below that, a two-digit year windowed
// around today.
int expand_year(uint8_t yy) {
  if (yy >= 100) return 1900 + yy;
  int y = 2000 + yy;
  return y > today().year + 1 ? y - 100 : y;
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The memo extension for a table: FoxPro's other tables keep FPT memos under their own
// extension (reference 3: .dbc -> .dct, .scx -> .sct, ...).
std::string memo_ext(memo::MemoKind k, const fs::path& table) {
  if (k != memo::MemoKind::fpt) return ".dbt";
  static const std::pair<const char*, const char*> kOwn[] = {
      {".dbc", ".dct"}, {".scx", ".sct"}, {".vcx", ".vct"}, {".frx", ".frt"},
      {".lbx", ".lbt"}, {".mnx", ".mnt"}, {".pjx", ".pjt"}};
  const std::string e = lower(table.extension().string());
  for (const auto& [t, m] : kOwn)
    if (e == t) return m;
  return ".fpt";
}

// Companion names follow the table's case: FIX.DBF -> FIX.FPT, fix.dbf -> fix.fpt.
fs::path companion_name(const fs::path& table, const std::string& ext) {
  std::string e = ext;
  std::string te = table.extension().string();
  bool upper = !te.empty() && std::all_of(te.begin() + 1, te.end(), [](char c) {
    return !std::isalpha(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c));
  });
  if (upper)
    for (auto& c : e) c = char(std::toupper(static_cast<unsigned char>(c)));
  return table.parent_path() / (table.stem().string() + e);
}

// The structural index: T.cdx, except for a database container, whose index is T.dcx.
std::string index_ext(const fs::path& table) {
  return lower(table.extension().string()) == ".dbc" ? ".dcx" : ".cdx";
}

fs::path with_suffix(const fs::path& p, const char* suffix) {
  return p.parent_path() / (p.filename().string() + suffix);
}

// The records a DBF holds (reference 7, row 1): the header's count when the end-of-file marker
// follows it (what lies beyond is not records), otherwise what the size holds, never more.
struct RecordCount {
  uint64_t count;
  uint64_t by_size;
  bool marked;  // the header's count is followed by the end-of-file marker
};

RecordCount count_records(File& f, uint64_t header_len, uint64_t record_len, uint64_t size,
                          uint64_t header_count) {
  uint64_t by_size = size > header_len ? (size - header_len) / record_len : 0;
  uint8_t mark = 0;
  bool marked = header_count < by_size &&
                f.read_at(header_len + header_count * record_len, &mark, 1) == 1 && mark == 0x1A;
  return {marked ? header_count : by_size, by_size, marked};
}

}  // namespace

struct Table::Impl {
  // Every file of the table goes through this layer (declared first: it outlives them), so
  // that a transaction can hold the table's changes back (journal/staged_file.h).
  std::unique_ptr<journal::StagingFs> staging;
  FileSystem* fs = nullptr;  // staging
  // A transaction this table belongs to, its journal (kept while the table is open), and the
  // record/file locks held before it began (locks taken during it go when it ends).
  Transaction::Impl* tx = nullptr;
  std::shared_ptr<journal::Journal> journal;
  fs::path path;
  std::unique_ptr<File> dbf;
  lock::TableLocks locks;  // every lock of the table (released before dbf closes)
  OpenOptions options;  // as opened (to reopen after pack)
  bool shared = false;
  bool scanning = false;      // a bulk scan may serve records from its window
  std::vector<uint8_t> check_buf;
  std::unique_ptr<memo::MemoFile> memo;
  fs::path memo_path;
  dbf::Header hdr;
  TableInfo info;
  std::vector<Field> fields;  // user fields
  const Field* nullflags = nullptr;
  const Codepage* cp = nullptr;
  bool read_only = false;
  bool write_behind = false;
  uint32_t count = 0;       // records, including pending ones
  uint32_t disk_count = 0;  // records in the file
  std::vector<uint8_t> window;
  uint32_t win_first = 0, win_n = 0;
  uint32_t last_read = 0;
  std::vector<uint8_t> pending;  // write-behind records disk_count+1 .. count
  std::vector<uint8_t> scratch;
  std::vector<uint8_t> blank_record;  // every field blank: the start of each appended record
  bool header_dirty = false;
  bool stamped = false;
  std::vector<Warning> warnings;
  std::function<void(const Warning&)> on_warning;
  std::unique_ptr<IndexSet> index;  // the structural CDX
  // Standalone CDX files opened with open_index (SET INDEX TO), kept up to date as well.
  std::vector<std::unique_ptr<IndexSet>> extra;
  std::vector<fs::path> extra_paths;
  std::vector<TagInfo> all_tags;      // tags of every open index, when there are standalone ones
  fs::path index_path;
  size_t sort_memory = 96u << 20;
  // What cursors (xbase/cursor.h) check before each move, drawn from one process-wide
  // counter so that a reopened table (after pack) never repeats a value: `sets_epoch` changes
  // whenever an index file is added, dropped or replaced (a cursor finds its tag again),
  // `positions_epoch` whenever record numbers or whole indexes were rebuilt (a cursor is then
  // unpositioned, as VFP leaves a work area after PACK).
  uint64_t sets_epoch = next_epoch();
  uint64_t positions_epoch = next_epoch();
  static uint64_t next_epoch() {
    static std::atomic<uint64_t> counter{0};
    return ++counter;
  }

  IndexSet::RecordScan record_scan() {
    return [this](const IndexSet::RecordVisitor& visit) {
      Scanning on(*this);
      if (shared) refresh_count();
      for (uint32_t r = 1; r <= count;) {
        const uint8_t* p = record_bytes(r);
        // The records after r that lie beside it: the rest of the window just read, or the
        // rest of the appended records not yet written.
        uint32_t n = r > disk_count ? count - r + 1 : std::min(win_first + win_n - r, count - r + 1);
        visit(r, n, p, hdr.record_len);
        r += n;
      }
    };
  }

  // A bulk scan: records may come from the window it reads (each window is read as a whole).
  struct Scanning {
    Impl& im;
    bool was;
    explicit Scanning(Impl& i) : im(i), was(i.scanning) {
      im.scanning = true;
      im.win_n = 0;  // nothing read before the scan began is served
    }
    ~Scanning() {
      im.scanning = was;
      if (!was && im.shared) im.win_n = 0;
    }
  };

  // Shared use: the index lock for one operation. Takes it (shared to read, exclusive to
  // write), drops cached pages when another process changed the index, and on done() flushes
  // a writer's pages (which bumps the update counter) before releasing it.
  class IndexGuard {
   public:
    IndexGuard(Impl& im, bool write) : im_(im), write_(write) {
      if (!im.shared || im.locks.index_held()) return;
      const auto sets = im.indexes();
      std::vector<File*> files;
      for (IndexSet* set : sets) files.push_back(&set->file().file());
      held_ = im.locks.index(files, write);
      if (held_.empty()) return;
      owner_ = true;
      for (IndexSet* set : sets) set->refresh();
    }
    IndexGuard(const IndexGuard&) = delete;
    IndexGuard& operator=(const IndexGuard&) = delete;
    void done() {
      if (!owner_) return;
      if (write_)
        for (IndexSet* set : im_.indexes()) set->flush();
      owner_ = false;
      im_.locks.index_done();
      for (auto& h : held_) h.release();
    }
    ~IndexGuard() {
      if (!owner_) return;
      im_.locks.index_done();
      // The operation failed halfway: what it changed in cached pages must not survive.
      try {
        if (write_)
          for (IndexSet* set : im_.indexes()) set->discard();
      } catch (...) {
      }
    }

   private:
    Impl& im_;
    bool write_;
    bool owner_ = false;
    std::vector<lock::Held> held_;
  };

  std::vector<IndexSet*> indexes() {
    std::vector<IndexSet*> v;
    if (index) v.push_back(index.get());
    for (auto& e : extra) v.push_back(e.get());
    return v;
  }

  IndexSet* find_set(std::string_view tag) {
    for (IndexSet* set : indexes())
      if (set->file().find(tag)) return set;
    return nullptr;
  }

  // A read of the index in shared use (or nothing to lock). When no index file changed since
  // its pages were read (one read of each header), the read runs on the cached pages without
  // taking the lock: those pages are the last version a writer completed. A page it would
  // have to read from the file sends it round again under the lock, so `fn` must be
  // repeatable (work on a copy of any state and commit it at the end).
  template <typename Fn>
  auto reading_index(Fn&& fn) {
    if (shared && !locks.index_held()) {
      const auto sets = indexes();
      bool unchanged = !sets.empty() && std::all_of(sets.begin(), sets.end(), [](IndexSet* s) {
        return s->file().unchanged();
      });
      if (unchanged) {
        struct CacheOnly {
          const std::vector<IndexSet*>& sets;
          explicit CacheOnly(const std::vector<IndexSet*>& s) : sets(s) {
            for (IndexSet* x : sets) x->file().store().set_cache_only(true);
          }
          ~CacheOnly() {
            for (IndexSet* x : sets) x->file().store().set_cache_only(false);
          }
        } only(sets);
        try {
          return fn();
        } catch (const cdx::PageStore::NotCached&) {
        }
      }
    }
    IndexGuard g(*this, false);
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      g.done();
    } else {
      auto r = fn();
      g.done();
      return r;
    }
  }

  // Moves a tag cursor with fn(cursor) under reading_index; fn works on a copy, which becomes
  // the cursor when it is done (so that a second round starts from the same place).
  template <typename Fn>
  bool move_cursor(IndexSet::Cursor& cursor, Fn&& fn) {
    return reading_index([&] {
      IndexSet::Cursor c = cursor;
      bool ok = fn(c);
      cursor = std::move(c);
      return ok;
    });
  }

  // Before INDEX ON: exclusive use, buffered records written, a name no open index uses.
  void prepare_new_tag(const TagSpec& spec) {
    need_writable();
    need_exclusive("creating a tag");
    flush();
    if (find_set(spec.name))
      throw Error(Errc::usage, {path.string(), {}, {}, {}},
                  fmt::format("tag {} exists already in an open index", spec.name));
  }

  void need_no_tx(std::string_view what) const {
    if (tx)
      throw Error(Errc::usage, {path.string(), {}, {}, {}},
                  fmt::format("{} is not possible inside a transaction", what));
  }

  void need_exclusive(std::string_view what) const {
    need_no_tx(what);
    if (shared)
      throw Error(Errc::usage, {path.string(), {}, {}, {}},
                  fmt::format("{} needs exclusive use of the table", what));
  }

  // The indexes of this table in a CDX file.
  std::unique_ptr<IndexSet> make_set(std::unique_ptr<cdx::CdxFile> f) {
    return std::make_unique<IndexSet>(std::move(f), hdr.fields, *cp, hdr.info.format,
                                      record_scan(), [this] { return count; }, *fs, sort_memory);
  }

  // Opens a CDX file of this table; warns about tags it cannot maintain.
  std::unique_ptr<IndexSet> open_index_file(const fs::path& p, bool ro) {
    auto file = fs->open(p, ro ? OpenMode::read_only : OpenMode::read_write);
    // Shared use: the directory and tag headers are read under the index read lock, so a
    // writer's half-flushed pages are never taken for the index. (Closing the file on an
    // error releases the lock with it.)
    LockRange r{};
    if (shared) {
      r = locks.index_read();
      if (!lock::acquire(*file, r, LockMode::shared, locks.internal_wait()))
        locks.failed(*file, r, "the index", {}, locks.internal_wait());
    }
    auto set = make_set(cdx::CdxFile::open(std::move(file)));
    if (shared) set->file().file().unlock(r.offset, r.length);
    for (const auto& t : set->tags())
      if (!t.problem.empty())
        warn({{p.string(), {}, {}, {}},
              fmt::format("tag {} cannot be maintained: {}", t.name, t.problem)});
    return set;
  }

  void open_structural_index(const fs::path& p, bool ro) {
    try {
      index = open_index_file(p, ro);
      index_path = p;
    } catch (const Error& e) {
      if (e.code() == Errc::lock_timeout) throw;
      warn({e.where(), e.detail() + "; the index is not used"});
    }
  }

  // The index holding a tag (or, when none does, one that will say so by name).
  IndexSet& need_index(std::string_view what, std::string_view tag = {}) {
    if (!index && extra.empty())
      throw Error(Errc::not_found, {path.string(), {}, {}, {}},
                  fmt::format("{}: the table has no index open", what));
    if (IndexSet* set = tag.empty() ? nullptr : find_set(tag)) return *set;
    return index ? *index : *extra.front();
  }

  // Sets or clears the structural-index flag (header byte 28).
  void set_index_flag(bool on) {
    hdr.flags = on ? uint8_t(hdr.flags | 0x01) : uint8_t(hdr.flags & ~0x01);
    hdr.raw[28] = hdr.flags;
    dbf->write_at(28, &hdr.flags, 1);
    info.flags = hdr.flags;
    info.structural_index = on;
    info.structural_index_path = on ? std::optional<std::string>(index_path.string()) : std::nullopt;
    // VFP locks records at other offsets when a table has a structural index.
    locks.set_layout(LockLayout(options.lock_scheme, on, hdr.header_len, hdr.record_len));
  }

  // Builds every tag of an index file again into a new file beside it, then renames that into
  // place; returns the new file opened.
  std::unique_ptr<IndexSet> rebuilt(std::unique_ptr<IndexSet> old, const fs::path& p) {
    std::vector<TagSpec> specs = old->specs();
    fs::path tmp = with_suffix(p, ".tmp");
    {
      auto fresh = make_set(cdx::CdxFile::create(fs->open(tmp, OpenMode::create)));
      for (const auto& s : specs) fresh->create_tag(s);
      fresh->file().file().sync();
    }
    old.reset();
    fs->rename(tmp, p);
    fs->sync_dir(p.parent_path());
    return open_index_file(p, read_only);
  }

  // Rebuilds every open index (zap, pack, reindex).
  void rebuild_index() {
    if (index) {
      try {
        index = rebuilt(std::move(index), index_path);
      } catch (const Error& e) {
        if (index || e.code() == Errc::lock_timeout) throw;
        warn({e.where(), e.detail() + "; the index is not used"});
      }
    }
    for (size_t i = 0; i < extra.size(); ++i) extra[i] = rebuilt(std::move(extra[i]), extra_paths[i]);
    // Cursors keep their tags (as after VFP's PACK), unpositioned.
    sets_epoch = next_epoch();
    positions_epoch = next_epoch();
  }

  void warn(Warning w) {
    if (on_warning) on_warning(w);
    warnings.push_back(std::move(w));
  }

  // The codec context for one record: kept, so that encoding or decoding a field does not
  // copy the table's path each time. Valid until the next call.
  const dbf::CodecContext& ctx(uint32_t recno) const {
    dbf::CodecContext& c = codec_;
    c.cp = cp;
    c.memo = memo.get();
    c.format = hdr.info.format;
    c.nullflags = nullflags;
    if (c.where.file.empty()) c.where.file = path.string();  // the path never changes
    c.where.record = recno;
    c.record_offset = record_offset(recno);
    return c;
  }
  mutable dbf::CodecContext codec_;

  uint64_t record_offset(uint32_t recno) const {
    return uint64_t(hdr.header_len) + uint64_t(recno - 1) * hdr.record_len;
  }

  void need_writable() const {
    if (read_only)
      throw Error(Errc::usage, {path.string(), {}, {}, {}}, "the table is open read-only");
  }

  void check_recno(uint32_t recno) {
    if (shared && recno > count) refresh_count();
    if (recno < 1 || recno > count)
      throw Error(Errc::not_found, {path.string(), {}, recno, {}},
                  fmt::format("no such record (the table has {})", count));
  }

  const uint8_t* record_bytes(uint32_t recno) {
    check_recno(recno);
    struct Last {
      uint32_t& r;
      uint32_t v;
      ~Last() { r = v; }
    } remember{last_read, recno};
    const size_t rl = hdr.record_len;
    if (recno > disk_count) return pending.data() + size_t(recno - disk_count - 1) * rl;
    // Shared use outside a bulk scan: every read goes to the file (another process may have
    // written the record since we last read it).
    const bool fresh = shared && !scanning;
    if (!fresh && recno >= win_first && recno < win_first + win_n)
      return window.data() + size_t(recno - win_first) * rl;
    // Sequential reading gets large windows; a random read (a seek) fetches its record only:
    // copying more costs more than the rare neighbour it would serve.
    bool sequential = recno == last_read + 1 || recno == win_first + win_n;
    size_t bytes = fresh || !sequential ? rl : kWindowBytes;
    uint32_t per = uint32_t(std::max<size_t>(1, bytes / rl));
    uint32_t n = std::min(per, disk_count - recno + 1);
    window.resize(size_t(n) * rl);
    bool locked = n == 1 ? locks.locked_here(recno) : locks.file_locked_here();
    size_t got = read_stable(record_offset(recno), window.data(), window.size(), locked);
    if (got < rl) {
      win_n = 0;
      throw Error(Errc::corrupt, {path.string(), record_offset(recno), recno, {}},
                  "record lies past the end of the file (was the file truncated?)");
    }
    win_first = recno;
    win_n = uint32_t(got / rl);
    return window.data();
  }

  // Shared use: a read that overlaps another process's write of the same bytes can return
  // part of each. Reading again until two reads agree rules that out; a writer holds the
  // record lock while it writes, so under our own lock one read is enough.
  size_t read_stable(uint64_t off, uint8_t* buf, size_t n, bool locked) {
    size_t got = dbf->read_at(off, buf, n);
    if (!shared || locked) return got;
    check_buf.resize(n);
    for (int attempt = 0; attempt < 1000; ++attempt) {
      size_t again = dbf->read_at(off, check_buf.data(), n);
      if (again == got && std::memcmp(buf, check_buf.data(), got) == 0) break;
      std::memcpy(buf, check_buf.data(), again);
      got = again;
    }
    return got;
  }

  // Shared use: the record count as the file holds it now. The header's count when the
  // end-of-file marker follows it (bytes after it are not records), otherwise what the size
  // holds (another process wrote a record and has not yet rewritten the header).
  void refresh_count() {
    uint64_t size = dbf->size();
    uint8_t b[4];
    uint64_t hc = dbf->read_at(4, b, 4) == 4 ? coding::get_le32(b) : UINT64_MAX;
    uint64_t n = count_records(*dbf, hdr.header_len, hdr.record_len, size, hc).count;
    count = disk_count = uint32_t(std::min<uint64_t>(n, UINT32_MAX));
  }

  // A field whose values live in the memo file: memo fields, and dBASE's 'B' (a binary memo
  // outside Visual FoxPro, where 'B' is a double).
  static bool in_memo_file(const Field& f, Format format) {
    return f.is_memo() || (f.type == FieldType::double_ && format != Format::vfp);
  }

  // A value that puts bytes into the memo file. An empty text or binary writes none (the
  // field's pointer becomes 0), so it needs no memo lock.
  bool writes_memo(const Field& f, const Value& v) const {
    if (!in_memo_file(f, hdr.info.format) || v.is_null() || v.is_empty()) return false;
    if (v.kind() == Value::Kind::text || v.kind() == Value::Kind::binary) return !v.str().empty();
    return true;
  }

  // The memo allocation lock, while memo blocks are written (shared use only).
  lock::Held memo_lock() { return locks.memo(memo ? &memo->file() : nullptr); }

  // Shared use: writes the date stamp once, under the header lock, before any other lock is
  // taken for the change (header before index, as appends take them).
  void stamp_shared() {
    if (!shared || stamped) return;
    stamp();
    write_header_locked();
  }

  // Writes the header; in shared use under the header lock, with the count as the file has it.
  void write_header_locked() {
    auto h = locks.header();
    if (shared) refresh_count();
    write_header();
  }

  void stamp() {
    if (stamped) return;
    Date d = today();
    dbf::stamp_header(hdr, hdr.info.format, d.year, d.month, d.day);
    info.last_update = d;
    stamped = true;
    header_dirty = true;
  }

  // Writes bytes 1..7 (date, count) and autoincrement counters of the header.
  void write_header() {
    hdr.count = disk_count;
    coding::put_le32(hdr.raw.data() + 4, hdr.count);
    dbf->write_at(1, hdr.raw.data() + 1, 7);
    for (size_t i = 0; i < hdr.fields.size(); ++i) {
      if (!hdr.fields[i].autoinc) continue;
      uint64_t off = dbf::Header::descriptor_offset(i) + 19;
      dbf->write_at(off, hdr.raw.data() + off, 4);
    }
    header_dirty = false;
  }

  void flush_pending() {
    if (pending.empty()) return;
    if (memo) memo->flush();  // the memos before the records that point at them
    pending.push_back(0x1A);
    dbf->write_at(record_offset(disk_count + 1), pending.data(), pending.size());
    disk_count += uint32_t((pending.size() - 1) / hdr.record_len);
    pending.clear();
    if (memo) memo->flush();
    write_header();
  }

  void flush() {
    if (read_only) return;
    flush_pending();
    if (memo) memo->flush();
    if (header_dirty) write_header_locked();
    if (!shared)
      for (IndexSet* set : indexes()) set->flush();
  }

  // Shared use: the autoincrement counters as the file holds them now (under the header lock).
  void reload_autoinc() {
    for (size_t i = 0; i < hdr.fields.size(); ++i) {
      if (!hdr.fields[i].autoinc) continue;
      uint64_t off = dbf::Header::descriptor_offset(i) + 19;
      uint8_t b[4];
      if (dbf->read_at(off, b, 4) != 4) continue;
      std::memcpy(hdr.raw.data() + off, b, 4);
      int32_t next = int32_t(coding::get_le32(b));
      hdr.fields[i].autoinc_next = next;
      for (auto& uf : fields)
        if (uf.name == hdr.fields[i].name) uf.autoinc_next = next;
    }
  }

  void set_autoinc_next(size_t hdr_index, int32_t next) {
    Field& f = hdr.fields[hdr_index];
    f.autoinc_next = next;
    coding::put_le32(hdr.raw.data() + dbf::Header::descriptor_offset(hdr_index) + 19,
                     uint32_t(next));
    for (auto& uf : fields)
      if (uf.name == f.name) uf.autoinc_next = next;
    header_dirty = true;
  }

  void build_fields() {
    fields.clear();
    nullflags = nullptr;
    for (const auto& f : hdr.fields)
      if (f.type != FieldType::nullflags) fields.push_back(f);
    if (hdr.nullflags >= 0) nullflags = &hdr.fields[size_t(hdr.nullflags)];
  }

  // Appends a record given as its stored bytes (memo pointers must be 0 or point into this
  // table's memo file); for tools that move records that do not decode (repair's quarantine).
  uint32_t append_bytes(std::span<const uint8_t> bytes) {
    need_writable();
    if (bytes.size() != hdr.record_len)
      throw Error(Errc::usage, {path.string(), {}, {}, {}},
                  fmt::format("{} bytes given for a record of {}", bytes.size(), hdr.record_len));
    auto header = locks.header();
    if (shared) refresh_count();
    if (count == UINT32_MAX) throw Error(Errc::overflow, {path.string(), {}, {}, {}}, "table full");
    scratch.assign(bytes.begin(), bytes.end());
    return store_appended(count + 1);
  }

  uint32_t append_record(std::span<const Value> values) {
    need_writable();
    // Shared use: the header lock serialises appends; under it the count and autoincrement
    // counters are read again from the file, so no two processes take the same record number.
    auto header = locks.header();
    if (shared) {
      refresh_count();
      reload_autoinc();
    }
    // The memo lock only when a memo is written (most appends write none).
    bool memos = false;
    for (size_t i = 0; i < values.size() && i < fields.size() && !memos; ++i) memos = writes_memo(fields[i], values[i]);
    auto memo_held = memos ? memo_lock() : lock::Held();
    const size_t rl = hdr.record_len;
    if (values.size() > fields.size())
      throw Error(Errc::usage, {path.string(), {}, {}, {}},
                  fmt::format("{} values given for {} fields", values.size(), fields.size()));
    if (count == UINT32_MAX) throw Error(Errc::overflow, {path.string(), {}, {}, {}}, "table full");
    uint32_t recno = count + 1;
    const auto& c = ctx(recno);
    if (blank_record.empty()) {
      // A blank record, made once per open (the layout does not change while open).
      // _NullFlags starts as zero bits (reference 2.13: bits no field owns stay 0); blanking
      // the fields then sets the length bits of V/Q fields.
      blank_record.assign(rl, ' ');
      if (nullflags) std::memset(blank_record.data() + nullflags->offset, 0, nullflags->length);
      for (const auto& f : hdr.fields) dbf::blank_field(f, blank_record.data(), c);
    }
    scratch.assign(blank_record.begin(), blank_record.end());
    for (size_t i = 0; i < hdr.fields.size(); ++i) {
      const Field& hf = hdr.fields[i];
      if (!hf.autoinc) continue;
      auto ui = std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == hf.name; });
      size_t u = size_t(ui - fields.begin());
      if (u < values.size() && !values[u].is_null() && !values[u].is_empty()) continue;
      Value v = Value::integer(hf.autoinc_next);
      dbf::encode_field(hf, v, scratch.data(), c);
      set_autoinc_next(i, int32_t(int64_t(hf.autoinc_next) + hf.autoinc_step));
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (fields[i].autoinc && (values[i].is_null() || values[i].is_empty())) continue;
      dbf::encode_field(fields[i], values[i], scratch.data(), c);
    }
    memo_held.release();
    return store_appended(recno);
  }

  // The record in `scratch` becomes record `recno` (count + 1), its keys added (under the
  // header lock the caller holds).
  uint32_t store_appended(uint32_t recno) {
    IndexGuard ig(*this, true);
    const auto sets = indexes();
    for (IndexSet* set : sets) set->check(recno, nullptr, scratch.data());
    stamp();
    if (write_behind) {
      pending.insert(pending.end(), scratch.begin(), scratch.end());
      count = recno;
      for (IndexSet* set : sets) set->apply_append_deferred(recno, scratch.data());
      if (pending.size() >= kPendingBytes) flush_pending();
      return recno;
    }
    // Record and EOF marker first, then the header: a failure in between leaves a file whose
    // size shows the record, which the next open reads.
    scratch.push_back(0x1A);
    dbf->write_at(record_offset(recno), scratch.data(), scratch.size());
    scratch.pop_back();
    disk_count = count = recno;
    write_header();
    for (IndexSet* set : sets) {
      set->apply(recno, nullptr, scratch.data());
      set->flush();
    }
    ig.done();
    return recno;
  }

  // After a rollback: what this object derived from the forgotten changes (count, header
  // date and counters, memo allocation, index pages) is read again from the files.
  void reload_after_rollback() {
    pending.clear();
    win_n = 0;
    uint8_t b[8];
    if (dbf->read_at(0, b, 8) == 8) {
      std::memcpy(hdr.raw.data() + 1, b + 1, 7);
      hdr.yy = b[1];
      hdr.mm = b[2];
      hdr.dd = b[3];
      info.last_update = Date{expand_year(hdr.yy), hdr.mm, hdr.dd};
    }
    refresh_count();
    reload_autoinc();
    stamped = false;
    header_dirty = false;
    if (memo) memo->reload();
    for (IndexSet* set : indexes()) set->discard();
  }

  void set_deleted(uint32_t recno, bool deleted) {
    need_writable();
    check_recno(recno);
    auto rlock = locks.auto_record(recno);
    stamp_shared();
    const uint8_t* cur = record_bytes(recno);
    std::vector<uint8_t> was(cur, cur + hdr.record_len);
    std::vector<uint8_t> rec = was;
    rec[0] = deleted ? '*' : ' ';
    change_record(recno, rec.data(), was.data());
  }

  // Replaces a record, keeping the tags in step. `known_before`: the record as the caller
  // just read it under the record's lock (no other cooperating writer can have changed it
  // since), which spares reading it again.
  void change_record(uint32_t recno, const uint8_t* after, const uint8_t* known_before = nullptr) {
    IndexGuard ig(*this, true);
    std::vector<uint8_t> before;
    const auto sets = indexes();
    if (!sets.empty()) {
      const uint8_t* b = known_before ? known_before : record_bytes(recno);
      before.assign(b, b + hdr.record_len);
      for (IndexSet* set : sets) set->check(recno, before.data(), after);
    }
    stamp();
    write_record(recno, after);
    for (IndexSet* set : sets) {
      set->apply(recno, before.data(), after);
      if (!write_behind) set->flush();
    }
    ig.done();
  }

  void write_record(uint32_t recno, const uint8_t* bytes) {
    const size_t rl = hdr.record_len;
    if (recno > disk_count) {
      std::memcpy(pending.data() + size_t(recno - disk_count - 1) * rl, bytes, rl);
      return;
    }
    dbf->write_at(record_offset(recno), bytes, rl);
    if (recno >= win_first && recno < win_first + win_n)
      std::memcpy(window.data() + size_t(recno - win_first) * rl, bytes, rl);
    // (Shared use wrote the date stamp before the change, under the header lock.)
    if (!write_behind && header_dirty && !shared) write_header();
  }
};

// ------------------------------------------------------------------ Record

Value Record::get(size_t field) const {
  const auto& im = *table_->impl_;
  if (field >= im.fields.size())
    throw Error(Errc::usage, {im.path.string(), {}, recno_, {}}, fmt::format("no field #{}", field));
  return dbf::decode_field(im.fields[field], bytes_.data(), im.ctx(recno_));
}

Value Record::get(std::string_view name) const { return get(table_->field_index_or_throw(name)); }

std::string_view Record::raw(size_t field) const {
  const Field& f = table_->impl_->fields.at(field);
  return std::string_view(reinterpret_cast<const char*>(bytes_.data()) + f.offset, f.length);
}

// ------------------------------------------------------------------ Table

Table::Table(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Table::~Table() {
  try {
    // A transaction cannot commit without this table: all of it is rolled back.
    if (impl_ && impl_->tx) TxAccess::closing(*this);
    if (impl_) impl_->flush();
  } catch (...) {
    // Destructors must not throw; close() reports the same failure.
  }
}

namespace {

// A pack that stopped between its renames leaves T.dbf.bak (and T.fpt.bak) behind: put the
// originals back before anything reads the table.
void recover_interrupted_pack(FileSystem& fs, const fs::path& path, bool read_only) {
  fs::path bak = with_suffix(path, ".bak");
  bool dbf_missing = !fs.exists(path);
  if (dbf_missing && !fs.exists(bak)) return;
  std::vector<fs::path> memo_baks;
  for (const std::string& ext : {memo_ext(memo::MemoKind::fpt, path), std::string(".dbt")}) {
    auto m = companion_name(path, ext);
    auto mb = with_suffix(m, ".bak");
    if (fs.exists(mb) && (dbf_missing || !fs.exists(m))) memo_baks.push_back(m);
  }
  if (!dbf_missing && memo_baks.empty()) return;
  if (read_only)
    throw Error(Errc::corrupt, {path.string(), {}, {}, {}},
                "an interrupted pack left the original files as .bak; open the table read-write "
                "once to restore them");
  for (const auto& m : memo_baks) fs.rename(with_suffix(m, ".bak"), m);
  if (dbf_missing) fs.rename(bak, path);
  fs.sync_dir(path.parent_path());
}

}  // namespace

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
  // A commit a process could not finish is completed before anything is read.
  const auto settled = journal::settle(base, journal::folder_of(path), nullptr, opts.internal_lock_timeout);
  recover_interrupted_pack(*im->fs, path, opts.read_only);
  im->dbf = im->fs->open(path, opts.read_only   ? OpenMode::read_only
                               : opts.exclusive ? OpenMode::exclusive
                                                : OpenMode::read_write);
  {
    im->locks.take_use(*im->dbf, opts.exclusive, path.string());
  }
  std::vector<Warning> ws;
  im->hdr = dbf::read_header(*im->dbf, ws);
  // DATASUS .dbc files keep a DBF header but compress the records (a CRC32, then PKWare DCL
  // "implode" data, whose first two bytes are 0/1 and the dictionary size 4..6): refuse them
  // instead of reading compressed bytes as records.
  if (lower(path.extension().string()) == ".dbc" && im->hdr.info.format != Format::vfp) {
    uint8_t dcl[2] = {0xFF, 0xFF};
    if (im->dbf->read_at(uint64_t(im->hdr.header_len) + 4, dcl, 2) == 2 && dcl[0] <= 1 &&
        dcl[1] >= 4 && dcl[1] <= 6)
      throw Error(Errc::format, {path.string(), im->hdr.header_len, {}, {}},
                  "not a DBF table: a DATASUS compressed .dbc file (PKWare DCL-imploded records)");
  }
  for (auto& w : ws) im->warn(std::move(w));
  for (const auto& s : settled.stale)
    im->warn({{s, {}, {}, {}},
              "a commit of a program that stopped could not be completed: another program has "
              "changed the same bytes since; its journal is kept for the administrator"});
  im->build_fields();
  auto& h = im->hdr;
  const std::string file = path.string();

  // Record count: the header's, checked against what the file size holds.
  uint64_t size = im->dbf->size();
  uint64_t rest = size > h.header_len ? (size - h.header_len) % h.record_len : 0;
  auto [count, by_size, marked] = count_records(*im->dbf, h.header_len, h.record_len, size, h.count);
  if (h.count > by_size) {
    im->warn({{file, 4, {}, {}},
              fmt::format("header says {} records but the file holds only {}; reading {}",
                          h.count, by_size, by_size)});
  } else if (marked) {
    im->warn({{file, h.header_len + uint64_t(h.count) * h.record_len, {}, {}},
              "bytes after the end-of-file marker are ignored"});
  } else if (h.count < by_size) {
    im->warn({{file, 4, {}, {}},
              fmt::format("header says {} records but the file holds {}; reading {}", h.count,
                          by_size, by_size)});
  }
  if (count > UINT32_MAX) count = UINT32_MAX;
  uint64_t end = h.header_len + count * h.record_len;
  if (count == by_size) {
    if (size == end) {
      im->warn({{file, end, {}, {}}, "no end-of-file marker (0x1A) after the last record"});
    } else if (rest > 1 || (rest == 1 && [&] {
                 uint8_t b = 0;
                 im->dbf->read_at(end, &b, 1);
                 return b != 0x1A;
               }())) {
      im->warn({{file, end, {}, {}},
                fmt::format("{} bytes after the last whole record are ignored", rest)});
    }
  }
  im->count = im->disk_count = uint32_t(count);

  // Codepage.
  int cp = opts.codepage ? opts.codepage : codepage_from_mark(h.cp_mark);
  if (cp == 0) cp = opts.default_codepage;
  if (!Codepage::known(cp)) {
    im->warn({{file, 29, {}, {}},
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
    if (kind != memo::MemoKind::none) {
      mp = find_companion(*im->fs, path, memo_ext(kind, path));
    } else if ((mp = find_companion(*im->fs, path, memo_ext(memo::MemoKind::fpt, path)))) {
      kind = memo::MemoKind::fpt;
    } else if ((mp = find_companion(*im->fs, path, ".dbt"))) {
      kind = memo::MemoKind::dbt3;
    }
    if (!mp) {
      im->warn({{file, {}, {}, {}},
                fmt::format("memo file {} is missing; memo fields cannot be read",
                            companion_name(path, memo_ext(kind == memo::MemoKind::none
                                                              ? memo::MemoKind::fpt
                                                              : kind,
                                                          path))
                                .filename()
                                .string())});
    } else {
      try {
        auto mf = im->fs->open(*mp, opts.read_only ? OpenMode::read_only : OpenMode::read_write);
        std::vector<Warning> mw;
        im->memo = memo::MemoFile::open(kind, std::move(mf), opts.write_behind, mw);
        for (auto& w : mw) im->warn(std::move(w));
        im->memo_path = *mp;
      } catch (const Error& e) {
        im->warn({e.where(), e.detail() + "; memo fields cannot be read"});
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
  in.last_update = Date{expand_year(h.yy), h.mm, h.dd};
  in.flags = h.flags;
  in.structural_index = h.flags & 0x01;
  in.has_memo = has_memo_fields;
  in.memo_path = im->memo_path.string();
  in.memo_block_size = im->memo ? im->memo->block_size() : 0;
  im->locks.setup(im->shared, LockLayout(opts.lock_scheme, in.structural_index, h.header_len, h.record_len),
                  opts.lock_wait, LockWait::up_to(opts.internal_lock_timeout), std::random_device{}());
  if (in.structural_index) {
    bool mdx = in.format == Format::dbase4;
    const std::string ext = mdx ? ".mdx" : index_ext(path);
    auto idx = find_companion(*im->fs, path, ext);
    if (idx) {
      in.structural_index_path = idx->string();
      if (!mdx) im->open_structural_index(*idx, opts.read_only);
    } else {
      im->warn({{file, 28, {}, {}},
                fmt::format("the header announces a structural index but {} is missing",
                            companion_name(path, ext).filename().string())});
    }
  }
  if (h.info.format == Format::vfp && h.raw.size() >= 32 + 32 * h.fields.size() + 1 + 263) {
    const uint8_t* b = h.raw.data() + 32 + 32 * h.fields.size() + 1;
    size_t n = 0;
    while (n < 263 && b[n]) ++n;
    in.backlink.assign(reinterpret_cast<const char*>(b), n);
  }
  return std::unique_ptr<Table>(new Table(std::move(im)));
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
  Date d = today();
  dbf::stamp_header(h, opts.format, d.year, d.month, d.day);
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

void Table::flush() { impl_->flush(); }

void Table::sync() {
  impl_->flush();
  if (impl_->read_only) return;
  if (impl_->memo) impl_->memo->file().sync();
  for (IndexSet* set : impl_->indexes()) set->file().file().sync();
  impl_->dbf->sync();
}

void Table::close() {
  if (!impl_) return;
  if (impl_->tx) TxAccess::closing(*this);
  impl_->flush();
  impl_.reset();
}

const TableInfo& Table::info() const { return impl_->info; }
const fs::path& Table::path() const { return impl_->path; }
const std::vector<Field>& Table::fields() const { return impl_->fields; }
const std::vector<Field>& Table::descriptors() const { return impl_->hdr.fields; }
uint32_t Table::record_count() const {
  if (impl_->shared) impl_->refresh_count();
  return impl_->count;
}
const std::vector<Warning>& Table::warnings() const { return impl_->warnings; }

std::optional<size_t> Table::field_index(std::string_view name) const {
  for (size_t i = 0; i < impl_->fields.size(); ++i) {
    const auto& n = impl_->fields[i].name;
    if (n.size() == name.size() &&
        std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == std::toupper(static_cast<unsigned char>(b));
        }))
      return i;
  }
  return std::nullopt;
}

size_t Table::field_index_or_throw(std::string_view name) const {
  auto i = field_index(name);
  if (!i)
    throw Error(Errc::usage, {impl_->path.string(), {}, {}, {}},
                fmt::format("no field named {}", name));
  return *i;
}

Record Table::read(uint32_t recno) {
  const uint8_t* b = impl_->record_bytes(recno);
  return Record(this, recno, std::span<const uint8_t>(b, impl_->hdr.record_len));
}

void Table::scan(const std::function<bool(const Record&)>& fn, uint32_t from) {
  auto& im = *impl_;
  Impl::Scanning on(im);
  if (im.shared) im.refresh_count();
  for (uint32_t r = std::max<uint32_t>(from, 1); r <= im.count; ++r)
    if (!fn(Record(this, r, {im.record_bytes(r), im.hdr.record_len}))) break;
}

// ------------------------------------------------------------------ multi-user

bool Table::exclusive() const { return !impl_->shared; }
LockScheme Table::lock_scheme() const { return impl_->locks.layout().scheme(); }

void Table::lock_record(uint32_t recno) { lock_records(std::span<const uint32_t>(&recno, 1)); }

void Table::lock_records(std::span<const uint32_t> recnos) {
  auto& im = *impl_;
  for (uint32_t r : recnos)
    if (!im.locks.holds(r)) im.check_recno(r);
  im.locks.lock_records(recnos);
}

void Table::lock_file() { impl_->locks.lock_file(); }
void Table::unlock_record(uint32_t recno) { impl_->locks.unlock_record(recno); }
void Table::unlock_all() { impl_->locks.unlock_all(); }
bool Table::holds_lock(uint32_t recno) const { return impl_->locks.holds(recno); }
bool Table::holds_file_lock() const { return impl_->locks.holds_file(); }

Value Table::get_tolerant(const Record& r, size_t field) {
  try {
    return r.get(field);
  } catch (const Error& e) {
    if (e.code() == Errc::usage) throw;
    impl_->warn({e.where(), e.detail()});
    return Value::null();
  }
}

const std::vector<TagInfo>& Table::tags() const {
  static const std::vector<TagInfo> none;
  auto& im = *impl_;
  if (im.extra.empty()) return im.index ? im.index->tags() : none;
  im.all_tags.clear();
  for (IndexSet* set : im.indexes())
    im.all_tags.insert(im.all_tags.end(), set->tags().begin(), set->tags().end());
  return im.all_tags;
}

std::vector<uint32_t> Table::tag_order(std::string_view name) {
  auto& im = *impl_;
  im.flush_pending();
  auto& ix = im.need_index("tag order", name);
  return im.reading_index([&] { return ix.order(name); });
}

std::vector<std::string> Table::verify_tag(std::string_view tag, size_t limit) {
  auto& im = *impl_;
  im.flush_pending();
  auto& ix = im.need_index("verify", tag);
  return im.reading_index([&] { return ix.verify(tag, limit); });
}

size_t Table::key_count(std::string_view tag) {
  auto& im = *impl_;
  auto& ix = im.need_index("key count", tag);
  return im.reading_index([&] { return ix.key_count(tag); });
}

std::optional<uint32_t> Table::seek(std::string_view tag, const Value& key, SeekMode mode) {
  auto& im = *impl_;
  auto& ix = im.need_index("seek", tag);
  return im.reading_index([&] { return ix.seek(tag, key, mode); });
}

void Table::create_tag(const TagSpec& spec) {
  auto& im = *impl_;
  im.prepare_new_tag(spec);
  if (!im.index) {
    if (im.hdr.info.format == Format::dbase3 || im.hdr.info.format == Format::dbase4) {
      // dBASE has no CDX; FoxPro-style tables of version 0x03 do.
      if (im.hdr.version != 0x03)
        throw Error(Errc::unsupported, {im.path.string(), {}, {}, {}},
                    "dBASE tables with DBT memos use MDX indexes, which are not supported");
    }
    im.index_path = companion_name(im.path, index_ext(im.path));
    if (im.fs->exists(im.index_path))
      throw Error(Errc::usage, {im.index_path.string(), {}, {}, {}},
                  "an index file of that name exists but the table does not flag it as its "
                  "structural index");
    im.index = im.make_set(cdx::CdxFile::create(im.fs->open(im.index_path, OpenMode::create)));
    im.set_index_flag(true);
    im.sets_epoch = Impl::next_epoch();
  }
  im.index->create_tag(spec);
}

namespace {
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) || a.lexically_normal() == b.lexically_normal();
}
}  // namespace

void Table::create_tag(const TagSpec& spec, const fs::path& file) {
  auto& im = *impl_;
  if (file.empty() || (im.index && same_file(file, im.index_path)) ||
      same_file(file, companion_name(im.path, index_ext(im.path))))
    return create_tag(spec);
  im.prepare_new_tag(spec);
  size_t i = 0;
  while (i < im.extra.size() && !same_file(file, im.extra_paths[i])) ++i;
  if (i == im.extra.size()) {
    if (im.fs->exists(file)) {
      open_index(file);
    } else {
      im.extra.push_back(im.make_set(cdx::CdxFile::create(im.fs->open(file, OpenMode::create))));
      im.extra_paths.push_back(file);
      im.sets_epoch = Impl::next_epoch();
    }
  }
  im.extra[i]->create_tag(spec);
}

void Table::open_index(const fs::path& file) {
  auto& im = *impl_;
  if ((im.index && same_file(file, im.index_path)) ||
      std::any_of(im.extra_paths.begin(), im.extra_paths.end(),
                  [&](const fs::path& p) { return same_file(file, p); }))
    return;  // open already
  im.flush_pending();
  auto set = im.open_index_file(file, im.read_only);
  for (const auto& t : set->tags())
    if (im.find_set(t.name))
      throw Error(Errc::usage, {file.string(), {}, {}, {}},
                  fmt::format("tag {} is in an index open already", t.name));
  im.extra.push_back(std::move(set));
  im.extra_paths.push_back(file);
  im.sets_epoch = Impl::next_epoch();
}

void Table::drop_tag(std::string_view name) {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("dropping a tag");
  IndexSet& set = im.need_index("drop tag", name);
  set.drop_tag(name);
  im.sets_epoch = Impl::next_epoch();
  if (!set.tags().empty()) return;
  // As VFP does: the last tag gone, the index file goes too.
  if (&set == im.index.get()) {
    im.index.reset();
    im.fs->remove(im.index_path);
    im.set_index_flag(false);
    return;
  }
  for (size_t i = 0; i < im.extra.size(); ++i)
    if (im.extra[i].get() == &set) {
      im.extra.erase(im.extra.begin() + long(i));
      im.fs->remove(im.extra_paths[i]);
      im.extra_paths.erase(im.extra_paths.begin() + long(i));
      break;
    }
}

void Table::reindex() {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("reindex");
  im.need_index("reindex");
  im.flush();
  im.rebuild_index();
}

uint32_t Table::append() { return impl_->append_record({}); }
uint32_t Table::append(std::span<const Value> values) { return impl_->append_record(values); }
uint32_t Table::append_bytes(std::span<const uint8_t> bytes) { return impl_->append_bytes(bytes); }

void Table::validate(std::span<const Value> values) {
  auto& im = *impl_;
  if (values.size() > im.fields.size())
    throw Error(Errc::usage, {im.path.string(), {}, {}, {}},
                fmt::format("{} values given for {} fields", values.size(), im.fields.size()));
  std::vector<uint8_t> rec(im.hdr.record_len, ' ');
  dbf::CodecContext c = im.ctx(im.count + 1);  // a copy: changed below
  c.memo = nullptr;
  c.where.record.reset();  // not a record yet: the caller names the input line
  for (size_t i = 0; i < values.size(); ++i) {
    const Field& f = im.fields[i];
    const Value& v = values[i];
    bool memo_like = Impl::in_memo_file(f, c.format);
    if (!memo_like) {
      dbf::encode_field(f, v, rec.data(), c);
      continue;
    }
    if (v.kind() == Value::Kind::text && !f.binary && f.type == FieldType::memo) {
      try {
        im.cp->encode(v.str());
      } catch (const Error& e) {
        throw Error(Errc::codepage, {im.path.string(), {}, {}, f.name}, e.detail());
      }
    } else if (!v.is_null() && !v.is_empty() && v.kind() != Value::Kind::text &&
               v.kind() != Value::Kind::binary) {
      throw Error(Errc::usage, {im.path.string(), {}, {}, f.name},
                  fmt::format("cannot store a {} value in a memo field", kind_name(v.kind())));
    }
  }
}

void Table::update(uint32_t recno, size_t field, const Value& v) {
  std::pair<size_t, Value> one{field, v};
  update(recno, std::span<const std::pair<size_t, Value>>(&one, 1));
}

void Table::update(uint32_t recno, std::span<const std::pair<size_t, Value>> changes) {
  auto& im = *impl_;
  im.need_writable();
  im.check_recno(recno);
  // Shared use: under the record's lock (ours, or one taken for this change), the record is
  // read again from the file, so the change applies to what another process last wrote.
  auto rlock = im.locks.auto_record(recno);
  im.stamp_shared();
  for (const auto& [i, v] : changes)
    if (i >= im.fields.size())
      throw Error(Errc::usage, {im.path.string(), {}, recno, {}}, fmt::format("no field #{}", i));
  bool memos = std::any_of(changes.begin(), changes.end(),
                           [&](const auto& ch) { return im.writes_memo(im.fields[ch.first], ch.second); });
  auto memo_held = memos ? im.memo_lock() : lock::Held();
  const uint8_t* cur = im.record_bytes(recno);
  std::vector<uint8_t> was(cur, cur + im.hdr.record_len);
  std::vector<uint8_t> rec = was;
  const auto& c = im.ctx(recno);
  for (const auto& [i, v] : changes) dbf::encode_field(im.fields[i], v, rec.data(), c);
  memo_held.release();
  im.change_record(recno, rec.data(), was.data());
}

void Table::remove(uint32_t recno) { impl_->set_deleted(recno, true); }
void Table::recall(uint32_t recno) { impl_->set_deleted(recno, false); }

void Table::zap() {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("zap");
  im.pending.clear();
  im.win_n = 0;
  im.count = im.disk_count = 0;
  im.stamp();
  im.write_header();
  uint8_t eof = 0x1A;
  im.dbf->write_at(im.hdr.header_len, &eof, 1);
  im.dbf->truncate(uint64_t(im.hdr.header_len) + 1);
  if (im.memo) im.memo->reset();
  im.rebuild_index();
  im.positions_epoch = Impl::next_epoch();
}

void Table::pack() {
  auto& im = *impl_;
  im.need_writable();
  im.need_exclusive("pack");
  im.flush();
  FileSystem& fsys = *im.fs;
  const fs::path tmp = with_suffix(im.path, ".tmp");
  const fs::path mtmp = im.memo ? with_suffix(im.memo_path, ".tmp") : fs::path();
  const size_t rl = im.hdr.record_len;
  uint32_t kept = 0;
  auto drop_temps = [&] {
    try {
      fsys.remove(tmp);
      if (im.memo) fsys.remove(mtmp);
    } catch (...) {
    }
  };
  try {
    auto out = fsys.open(tmp, OpenMode::create);
    std::unique_ptr<memo::MemoFile> mout;
    if (im.memo)
      mout = memo::MemoFile::create(im.memo->kind(), fsys.open(mtmp, OpenMode::create),
                                    im.memo->block_size(), im.path.stem().string(), true);
    dbf::Header nh = im.hdr;
    Date d = today();
    std::vector<uint8_t> buf;
    buf.reserve(1 << 20);
    uint64_t off = nh.header_len;
    struct WrittenMemo {
      uint32_t block;
      size_t size;
      size_t hash;
    };
    std::vector<WrittenMemo> written_memos;  // to read back before committing
    for (uint32_t r = 1; r <= im.count; ++r) {
      const uint8_t* src = im.record_bytes(r);
      if (src[0] == '*') continue;
      size_t at = buf.size();
      buf.insert(buf.end(), src, src + rl);
      if (mout) {
        const auto& c = im.ctx(r);
        for (const auto& f : im.fields) {
          if (!Impl::in_memo_file(f, nh.info.format))
            continue;
          uint32_t block = dbf::memo_pointer(f, src, c);
          uint32_t nb = 0;
          if (block) {
            memo::Block b = im.memo->read(block, Location{im.path.string(), {}, r, f.name});
            nb = mout->write(0, b.type, b.data);
            if (nb) written_memos.push_back({nb, b.data.size(), std::hash<std::string>{}(b.data)});
          }
          dbf::set_memo_pointer(f, buf.data() + at, nb);
        }
      }
      ++kept;
      if (buf.size() >= (1u << 20)) {
        out->write_at(off, buf.data(), buf.size());
        off += buf.size();
        buf.clear();
      }
    }
    buf.push_back(0x1A);
    out->write_at(off, buf.data(), buf.size());
    nh.count = kept;
    dbf::stamp_header(nh, nh.info.format, d.year, d.month, d.day);
    out->write_at(0, nh.raw.data(), nh.raw.size());
    if (mout) {
      mout->flush();
      mout->file().sync();
    }
    out->sync();
    // Read the new table back before the originals are given up: a write the file system
    // lost without an error (a dropped write on a network share) must not cost the table.
    std::vector<uint8_t> check(nh.raw.size());
    if (out->size() != uint64_t(nh.header_len) + uint64_t(kept) * rl + 1 ||
        out->read_at(0, check.data(), check.size()) != check.size() || check != nh.raw)
      throw Error(Errc::io, {tmp.string(), {}, {}, {}},
                  "the packed table did not read back as written; the original is unchanged");
    // Through a fresh reader, so that the memo file's header is checked too.
    std::unique_ptr<memo::MemoFile> reread;
    if (mout) {
      std::vector<Warning> ignored;
      try {
        reread = memo::MemoFile::open(mout->kind(), fsys.open(mtmp, OpenMode::read_only), false,
                                      ignored);
      } catch (const Error&) {
      }
      if (!reread || reread->block_size() != mout->block_size())
        throw Error(Errc::io, {mtmp.string(), {}, {}, {}},
                    "the packed memo file's header did not read back as written; the original "
                    "is unchanged");
    }
    for (const auto& w : written_memos) {
      bool same = false;
      try {
        memo::Block b = reread->read(w.block, Location{mtmp.string(), {}, {}, {}});
        same = b.data.size() == w.size && std::hash<std::string>{}(b.data) == w.hash;
      } catch (const Error&) {
      }
      if (!same)
        throw Error(Errc::io, {mtmp.string(), {}, {}, {}},
                    fmt::format("memo block {} of the packed memo file did not read back as "
                                "written; the original is unchanged",
                                w.block));
    }
  } catch (...) {
    drop_temps();
    throw;
  }
  // Swap the files in: originals become .bak first, so that an interruption leaves either
  // the old pair or the new pair (open() puts the .bak pair back when the .dbf is missing).
  const fs::path bak = with_suffix(im.path, ".bak");
  const fs::path mbak = im.memo ? with_suffix(im.memo_path, ".bak") : fs::path();
  // .bak files an earlier pack could not remove are stale (that pack committed): remove them,
  // so that every .bak below is this pack's own and can be rolled back to.
  try {
    if (fsys.exists(bak)) fsys.remove(bak);
    if (!mbak.empty() && fsys.exists(mbak)) fsys.remove(mbak);
  } catch (...) {
    drop_temps();
    throw;
  }
  im.locks.release_use();
  im.dbf.reset();
  im.memo.reset();
  try {
    if (!mbak.empty()) fsys.rename(im.memo_path, mbak);
    fsys.rename(im.path, bak);
    if (!mbak.empty()) fsys.rename(mtmp, im.memo_path);
    fsys.rename(tmp, im.path);
    fsys.sync_dir(im.path.parent_path());
    // A rename the file system lost without an error would leave half a pair.
    if (!fsys.exists(im.path) || (!mbak.empty() && !fsys.exists(im.memo_path)))
      throw Error(Errc::io, {im.path.string(), {}, {}, {}},
                  "pack: the new files are not in place after renaming them");
  } catch (...) {
    // Put the originals back while the file system still answers (after a crash, open() does
    // it instead: it restores the .bak pair when the .dbf is missing).
    try {
      if (fsys.exists(bak)) fsys.rename(bak, im.path);
      if (!mbak.empty() && fsys.exists(mbak)) fsys.rename(mbak, im.memo_path);
      if (fsys.exists(tmp)) fsys.remove(tmp);
      if (!mbak.empty() && fsys.exists(mtmp)) fsys.remove(mtmp);
      fsys.sync_dir(im.path.parent_path());
    } catch (...) {
    }
    // The files are closed: leave this object inert (no records, read-only) rather than
    // pointing at files that may have moved. Reopening restores the .bak pair.
    im.read_only = true;
    im.count = im.disk_count = 0;
    im.win_n = 0;
    throw;
  }
  // Committed: the .bak copies are no longer needed. Failing to remove them loses nothing.
  try {
    fsys.remove(bak);
    if (!mbak.empty()) fsys.remove(mbak);
  } catch (const Error&) {
  }

  // Reopen the new files in place of the old ones.
  OpenOptions o = im.options;
  o.codepage = im.info.codepage;
  const std::vector<fs::path> extras = im.extra_paths;
  auto fresh = Table::open(im.path, o);
  impl_ = std::move(fresh->impl_);
  for (const auto& p : extras) open_index(p);
  // Record numbers changed: every tag is built again (and cursors are unpositioned).
  impl_->rebuild_index();
}

// ------------------------------------------------------------------ Cursor

struct Cursor::State {
  Table* table;
  std::string tag;              // as stored; empty: record order
  IndexSet::Cursor pos;         // tag order
  IndexSet* set = nullptr;      // the index holding the tag, as of sets_epoch
  uint64_t sets_epoch = 0, positions_epoch = 0;
  uint32_t cur = 0;             // record order
  bool at_eof = true;

  Table::Impl& im() { return *table->impl_; }

  // Before every move: the table may have replaced its index files (find the tag again) or
  // renumbered its records (the position is gone).
  void sync() {
    Table::Impl& t = im();
    if (positions_epoch != t.positions_epoch) {
      positions_epoch = t.positions_epoch;
      cur = 0;
      at_eof = true;
      pos.recno = 0;
      pos.page = cdx::kNone;
      sets_epoch = 0;
    }
    if (tag.empty() || sets_epoch == t.sets_epoch) return;
    set = t.find_set(tag);
    if (!set)
      throw Error(Errc::not_found, {t.path.string(), {}, {}, {}},
                  fmt::format("no tag named {} (it was dropped or its index closed)", tag));
    sets_epoch = t.sets_epoch;
  }

  IndexSet& tag_set(const char* what) {
    if (tag.empty())
      throw Error(Errc::usage, {im().path.string(), {}, {}, {}},
                  fmt::format("{} needs a cursor in a tag's order", what));
    sync();
    im().flush_pending();
    return *set;
  }

  bool landed(bool ok) {
    at_eof = !ok;
    if (ok) cur = pos.recno;
    return ok;
  }
};

Cursor::Cursor(Table& t, std::string_view tag) : s_(std::make_unique<State>()) {
  s_->table = &t;
  Table::Impl& im = *t.impl_;
  s_->positions_epoch = im.positions_epoch;
  if (tag.empty()) return;
  im.flush_pending();
  IndexSet& ix = im.need_index("cursor", tag);
  const cdx::Tag* found = ix.file().find(tag);
  if (!found)
    throw Error(Errc::not_found, {im.path.string(), {}, {}, {}}, fmt::format("no tag named {}", tag));
  s_->tag = found->name;
  s_->pos.tag = found->name;
  s_->set = &ix;
  s_->sets_epoch = im.sets_epoch;
}

Cursor::~Cursor() = default;
Cursor::Cursor(Cursor&&) noexcept = default;
Cursor& Cursor::operator=(Cursor&&) noexcept = default;

Table& Cursor::table() const { return *s_->table; }
const std::string& Cursor::tag() const { return s_->tag; }

void Cursor::set_scope(const std::optional<Value>& top, const std::optional<Value>& bottom) {
  IndexSet& set = s_->tag_set("a scope");
  s_->pos.top.reset();
  s_->pos.bottom.reset();
  if (top) s_->pos.top = set.seek_key(s_->tag, *top, SeekMode::partial);
  if (bottom) s_->pos.bottom = set.seek_key(s_->tag, *bottom, SeekMode::partial);
}

bool Cursor::go_top() {
  State& s = *s_;
  if (!s.tag.empty()) {
    IndexSet& set = s.tag_set("go_top");
    return s.landed(s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) { return set.first(c); }));
  }
  s.sync();
  Table::Impl& im = s.im();
  if (im.shared) im.refresh_count();
  s.cur = im.count ? 1 : 0;
  s.at_eof = im.count == 0;
  return !s.at_eof;
}

bool Cursor::go_bottom() {
  State& s = *s_;
  if (!s.tag.empty()) {
    IndexSet& set = s.tag_set("go_bottom");
    return s.landed(s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) { return set.last(c); }));
  }
  s.sync();
  Table::Impl& im = s.im();
  if (im.shared) im.refresh_count();
  s.cur = im.count;
  s.at_eof = im.count == 0;
  return !s.at_eof;
}

bool Cursor::skip(int64_t n) {
  State& s = *s_;
  if (!s.tag.empty()) {
    IndexSet& set = s.tag_set("skip");
    return s.landed(s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) {
      bool moved = c.recno != 0;
      for (int64_t i = 0; moved && i < (n < 0 ? -n : n); ++i) moved = set.step(c, n > 0);
      return moved;
    }));
  }
  s.sync();
  Table::Impl& im = s.im();
  int64_t to = int64_t(s.cur) + n;
  if (im.shared && to > int64_t(im.count)) im.refresh_count();
  if (to < 1 || to > int64_t(im.count)) {
    s.at_eof = true;
    s.cur = to < 1 ? (im.count ? 1 : 0) : im.count;
    return false;
  }
  s.cur = uint32_t(to);
  s.at_eof = false;
  return true;
}

bool Cursor::find(const Value& key, SeekMode mode) {
  State& s = *s_;
  IndexSet& set = s.tag_set("find");
  bool match = s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) { return set.seek(c, key, mode); });
  s.at_eof = s.pos.recno == 0;
  if (!s.at_eof) s.cur = s.pos.recno;
  return match;
}

// (A position the table has since renumbered or rebuilt reads as none.)
uint32_t Cursor::recno() const { return eof() ? 0 : s_->cur; }
bool Cursor::eof() const {
  return s_->at_eof || s_->positions_epoch != s_->table->impl_->positions_epoch;
}
Record Cursor::read() { return s_->table->read(recno()); }

// ------------------------------------------------------------------ transactions

journal::StagingFs& TxAccess::staging(Table& t) { return *t.impl_->staging; }
Transaction::Impl* TxAccess::owner(Table& t) { return t.impl_->tx; }

void TxAccess::join(Table& t, Transaction::Impl* tx, std::shared_ptr<journal::Journal> jnl,
                    std::function<void()> after_lock) {
  auto& im = *t.impl_;
  im.need_writable();
  // What the table still buffers from before (write-behind records, index pages) belongs to
  // no transaction: it is written now, so that a rollback cannot take it along.
  im.flush();
  im.tx = tx;
  im.journal = std::move(jnl);
  im.locks.begin_transaction();
  im.staging->begin(std::move(after_lock));
}

void TxAccess::flush(Table& t) { t.impl_->flush(); }

void TxAccess::leave(Table& t, bool committed) {
  auto& im = *t.impl_;
  // Locks kept for the transaction go with it; those held before it and never given up in
  // it stay.
  auto& dbf = static_cast<journal::StagedFile&>(*im.dbf);
  auto released = [&](LockRange r) { return dbf.covered(r.offset, r.length); };
  im.locks.end_transaction(released);
  im.tx = nullptr;
  im.staging->end();  // staged bytes forgotten (applied when committed), locks released
  if (!committed) im.reload_after_rollback();
}

}  // namespace xbase
