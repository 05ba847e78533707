// A table's records: the window records are read through, appends (write-behind or straight
// to the file), changes with their index keys, and the header's count, date and counters.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "dbf/record_count.h"
#include "table/table_impl.h"
#include "util/coding.h"
#include "util/side_by_side.h"

namespace xbase {

namespace {

constexpr size_t kWindowBytes = 64 * 1024;        // records read per disk read
constexpr size_t kPendingBytes = 4 * 1024 * 1024; // write-behind buffer before it is flushed

}  // namespace

// ------------------------------------------------------------------ the record window

// The codec context for one record: kept, so that encoding or decoding a field does not
// copy the table's path each time. Valid until the next call.
const dbf::CodecContext& Table::Impl::ctx(uint32_t recno) const {
  dbf::CodecContext& c = codec_;
  c.cp = cp;
  c.memo = memo ? memo.get() : memo_path.empty() ? nullptr : &memo_on_demand;
  c.format = hdr.info.format;
  c.nullflags = nullflags;
  if (c.where.file.empty()) c.where.file = path.string();  // the path never changes
  c.where.record = recno;
  c.record_offset = record_offset(recno);
  return c;
}

void Table::Impl::check_recno(uint32_t recno) {
  if (shared && recno > count) refresh_count();
  if (recno < 1 || recno > count)
    throw Error(Errc::not_found, {path.string(), {}, recno, {}},
                fmt::format("no such record (the table has {})", count));
}

const uint8_t* Table::Impl::record_bytes(uint32_t recno) {
  check_recno(recno);
  struct Last {
    uint32_t& r;
    uint32_t v;
    ~Last() { r = v; }
  } remember{last_read, recno};
  const size_t rl = hdr.record_len;
  if (recno > disk_count) return pending.data() + size_t(recno - disk_count - 1) * rl;
  // Shared use outside a bulk scan: every read goes to the file (another process may have
  // written the record since we last read it), unless our locks kept it unchanged.
  const bool fresh = shared && !scanning;
  if (!fresh && recno >= win_first && recno < win_first + win_n)
    return window.data() + size_t(recno - win_first) * rl;
  if (fresh)
    if (const uint8_t* b = held_record(recno)) return b;
  // Sequential reading gets large windows; a random read (a seek) fetches its record only:
  // copying more costs more than the rare neighbour it would serve.
  bool sequential = recno == last_read + 1 || recno == win_first + win_n;
  size_t bytes = fresh || !sequential ? rl : kWindowBytes;
  uint32_t per = uint32_t(std::max<size_t>(1, bytes / rl));
  uint32_t n = std::min(per, disk_count - recno + 1);
  settle_for_read();
  window.resize(size_t(n) * rl);
  bool locked = n == 1 ? holds_record(recno) : holds_file();
  // A read batch's (or a read operation's own) shared index lock keeps every cooperating
  // writer out of every record: one read, but nothing kept past the lock (the record lock's
  // bookkeeping does not see it go).
  size_t got = read_stable(record_offset(recno), window.data(), window.size(), locked || index_keeps_writers_out());
  if (got < rl) {
    win_n = 0;
    past_end(recno);
  }
  win_first = recno;
  win_n = uint32_t(got / rl);
  if (locked && n == 1 && shared) keep_held(recno, window.data());
  return window.data();
}

// A change's read of its record under the record's lock: from the file in shared use also
// inside a scan, whose window was read before the lock (a change applied to that copy would
// overwrite what another process wrote since: a lost update).
// Read beside the window (the scan goes on from it), whose copy of the record is brought up to
// date.
const uint8_t* Table::Impl::record_under_lock(uint32_t recno) {
  check_recno(recno);  // counts a record another process appended (its window stays)
  if (!scanning || !shared || recno > disk_count) return record_bytes(recno);
  if (const uint8_t* b = held_record(recno)) return b;
  settle_for_read();
  const size_t rl = hdr.record_len;
  locked_record.resize(rl);
  const bool locked = holds_record(recno);
  if (read_stable(record_offset(recno), locked_record.data(), rl, locked || index_keeps_writers_out()) < rl)
    past_end(recno);
  if (recno >= win_first && recno < win_first + win_n)
    std::memcpy(window.data() + size_t(recno - win_first) * rl, locked_record.data(), rl);
  chunks_out_of_date(recno);  // a batched scan hands the record on as read now, not as its chunk has it
  if (locked) keep_held(recno, locked_record.data());
  return locked_record.data();
}

void Table::Impl::chunks_out_of_date(uint32_t recno) {
  for (ScanChunk* c : scan_chunks)
    if (recno >= c->next && recno < c->first + c->n) c->stale = true;
}

void Table::Impl::past_end(uint32_t recno) const {
  throw Error(Errc::corrupt, {path.string(), record_offset(recno), recno, {}},
              "record lies past the end of the file (was the file truncated?)");
}

const uint8_t* Table::Impl::held_record(uint32_t recno) {
  if (held_records.generation != lock_generation()) return nullptr;
  auto it = held_records.bytes.find(recno);
  return it == held_records.bytes.end() ? nullptr : it->second.data();
}

void Table::Impl::keep_held(uint32_t recno, const uint8_t* bytes) {
  constexpr size_t kMost = 1024;  // records: a transaction locks few; a bound all the same
  if (held_records.generation != lock_generation() || held_records.bytes.size() >= kMost) {
    held_records.clear();
    held_records.generation = lock_generation();
  }
  auto& kept = held_records.slot(recno);
  if (kept.data() != bytes) kept.assign(bytes, bytes + hdr.record_len);
}

bool Table::Impl::settle_for_read() {
  need_no_batch("a read", false);
  if (!shared || tx || !watch) return false;
  const auto r = watch->settle_for_read(journal::kReaderSettleInterval, options.internal_lock_timeout);
  if (!r.replayed) return false;
  // Records, the count, memo allocation and index pages may have moved under us.
  win_n = 0;
  held_records.clear();
  if (memo) memo->reload();
  return true;
}

// Whether this process holds the record locked: a record lock, the file lock, or a
// transaction's lock kept after the table let go of it.
bool Table::Impl::holds_record(uint32_t recno) {
  return locks.locked_here(recno) || tx_holds(locks.layout().record(recno));
}

bool Table::Impl::holds_file() { return locks.file_locked_here() || tx_holds(locks.layout().file()); }

// Whether a transaction of this process holds the DBF range exclusively (kept until it ends
// after the table let go of it): then nobody else writes there either.
bool Table::Impl::tx_holds(LockRange r) {
  auto* f = dynamic_cast<journal::StagedFile*>(dbf.get());
  return f && f->staging() && f->covered(r.offset, r.length);
}

// Shared use: a read that overlaps another process's write of the same bytes can return
// part of each. Reading again until two reads agree rules that out; a writer holds the
// record lock while it writes, so under our own lock one read is enough.
size_t Table::Impl::read_stable(uint64_t off, uint8_t* buf, size_t n, bool locked) {
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
bool Table::Impl::refresh_count() {
  std::vector<uint8_t>& w = header_scratch;
  uint64_t size = 0;
  const bool whole = read_small_file(w);
  if (whole) {
    size = w.size();
  } else {
    size = dbf->size();
    w.resize(8);  // the count: bytes 4-7 (dBASE II: 1-2)
    w.resize(dbf->read_at(0, w.data(), w.size()));
  }
  const uint64_t hc = hdr.dbase2 ? (w.size() >= 3 ? coding::get_le16(w.data() + 1) : UINT64_MAX)
                                 : w.size() >= 8 ? coding::get_le32(w.data() + 4) : UINT64_MAX;
  count_from(size, hc);
  return whole;
}

// A scan of a small table in shared use begins with the whole file just read for its count
// (refresh_count): the records are there. They become the scan's first window after one more
// read of that window agrees with them, the second of read_stable's two agreeing reads where
// reading the window afresh takes two (SETTINGS, read by every command: a round trip on a
// share). Under a lock that keeps writers out they serve as read. Otherwise, or when the reads
// differ, the scan reads its window as always.
void Table::Impl::window_from_whole_file(uint32_t from) {
  const size_t rl = hdr.record_len;
  if (rl == 0 || from < 1 || from > disk_count) return;
  const uint32_t n = std::min(uint32_t(std::max<size_t>(1, kWindowBytes / rl)), disk_count - from + 1);
  const uint64_t off = record_offset(from);
  if (off + uint64_t(n) * rl > header_scratch.size()) return;
  if (settle_for_read()) {  // a dead process's commit completed: what was read is older
    refresh_count();
    return;
  }
  window.resize(size_t(n) * rl);
  const uint8_t* whole = header_scratch.data() + off;
  if (holds_file() || index_keeps_writers_out()) {
    std::memcpy(window.data(), whole, window.size());
  } else if (dbf->read_at(off, window.data(), window.size()) != window.size() ||
             std::memcmp(window.data(), whole, window.size()) != 0) {
    return;
  }
  win_first = from;
  win_n = n;
}

// A settings table, the seats: a few records that one read brings with the header, where the
// size would be one more round trip on a share (statx) at every look at the count.
bool Table::Impl::small_file() const {
  return uint64_t(hdr.header_len) + uint64_t(disk_count) * hdr.record_len + 1 < dbf::kHeaderReadAhead;
}

bool Table::Impl::read_small_file(std::vector<uint8_t>& b) {
  return small_file() && read_whole_within(*dbf, dbf::kHeaderReadAhead, b);
}

void Table::Impl::count_from(uint64_t size, uint64_t header_count) {
  uint64_t n = dbf::count_records(*dbf, hdr.header_len, hdr.record_len, size, header_count).count;
  count = disk_count = uint32_t(std::min<uint64_t>(n, UINT32_MAX));
}

// Shared use: the count and the autoincrement counters as the file holds them now, and with
// `date` the date stamp too, in one read from the header's start (or its count) to the last
// counter: 52 bytes in the usual table whose first field counts, where the two reads of
// refresh_count() and a read per counter were one round trip each on a share.
void Table::Impl::refresh_header(bool date) {
  if (hdr.dbase2) {  // no autoincrement fields; the count at byte 1
    refresh_count();
    return;
  }
  const uint64_t end = counters_end();
  std::vector<uint8_t>& b = header_scratch;
  uint64_t from = date ? 0 : 4, size = 0;
  size_t got = 0;
  if (read_small_file(b)) {  // the whole file from its start
    from = 0;
    size = b.size();
    got = size_t(std::min<uint64_t>(b.size(), end));
  } else {
    size = dbf->size();
    b.resize(end - from);
    got = dbf->read_at(from, b.data(), b.size());
  }
  if (date && got >= 8) {
    std::memcpy(hdr.raw.data() + 1, b.data() + 1, 7);
    hdr.yy = b[1];
    hdr.mm = b[2];
    hdr.dd = b[3];
    info.last_update = Date{dbf::expand_year(hdr.yy, today().year), hdr.mm, hdr.dd};
  }
  count_from(size, got >= 8 - from ? coding::get_le32(b.data() + 4 - from) : UINT64_MAX);
  for (size_t i = 0; i < hdr.fields.size(); ++i) {
    if (!hdr.fields[i].autoinc) continue;
    const uint64_t off = dbf::Header::descriptor_offset(i) + 19;
    if (off + 4 > from + got) continue;
    std::memcpy(hdr.raw.data() + off, b.data() + (off - from), 4);
    const int32_t next = int32_t(coding::get_le32(b.data() + (off - from)));
    hdr.fields[i].autoinc_next = next;
    for (auto& uf : fields)
      if (uf.name == hdr.fields[i].name) uf.autoinc_next = next;
  }
}

uint64_t Table::Impl::counters_end() const {
  uint64_t end = 8;
  for (size_t i = 0; i < hdr.fields.size(); ++i)
    if (hdr.fields[i].autoinc) end = std::max<uint64_t>(end, dbf::Header::descriptor_offset(i) + 23);
  return end;
}

journal::ReadForLock Table::Impl::header_read_for_lock() {
  // refresh_header(false)'s first read (refresh_count()'s for dBASE II).
  if (small_file()) return {*dbf, 0, dbf::kHeaderReadAhead};
  if (hdr.dbase2) return {*dbf, 0, 8};
  return {*dbf, 4, size_t(counters_end() - 4)};
}

bool Table::Impl::header_ours() { return shared && tx_holds(locks.layout().header()); }

IndexSet::RecordScan Table::Impl::record_scan() {
  return [this](const IndexSet::RecordVisitor& visit) {
    Scanning on(*this);
    if (shared && !header_ours() && refresh_count()) window_from_whole_file(1);
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

// ------------------------------------------------------------------ the header

// Shared use: writes the date stamp once, under the header lock, before any other lock is
// taken for the change (header before index, as appends take them).
void Table::Impl::stamp_shared() {
  if (!shared || stamped) return;
  if (!stamp()) return;
  // In a transaction the header is written at commit, under a header lock taken after every
  // record lock: taken now and kept, it would come before the transaction's later record locks.
  if (tx) return;
  write_header_locked();
}

// Writes the header; in shared use under the header lock, with the count and autoincrement
// counters as the file has them (another process's appends moved them since this one read
// them: writing ours back would hand out its numbers again).
bool Table::Impl::write_header_locked(bool wait) {
  const bool ours = header_ours();  // before taking it: a lock taken now is kept as well
  std::optional<lock::Held> h;
  if (wait)
    h = locks.header();
  else if (!(h = locks.try_header()))
    return false;
  if (shared && !ours) refresh_header(false);
  write_header();
  return true;
}

// At a transaction's commit a header changed without its lock holds the date stamp alone
// (appends change the header under that lock, and keep it). Its lock would be taken after the
// index locks the transaction's changes keep, and an appender holds it while it waits for an
// index lock (appends take header, then index): waiting would stall both until one gives up
// (found by a second reader, 2026-12-06). So it is written only when the lock is free at once
// (flush()); otherwise the stamp is left to that appender, whose header usually carries today's
// date as well, and undone here so that the next change of this process stamps again.
void Table::Impl::unstamp() {
  std::copy(unstamped.bytes, unstamped.bytes + 3, hdr.raw.begin() + 1);
  hdr.yy = unstamped.bytes[0];
  hdr.mm = unstamped.bytes[1];
  hdr.dd = unstamped.bytes[2];
  info.last_update = unstamped.date;
  header_dirty = false;
  stamped = false;
}

// True when the header's date changes. A table stamped today already (most tables of a
// company on a working day) needs no header write for an update: in shared use that write
// costs the header lock, the count read again and two writes, each a round trip on a share.
bool Table::Impl::stamp() {
  if (stamped) return false;
  stamped = true;
  const uint8_t was[3] = {hdr.raw[1], hdr.raw[2], hdr.raw[3]};
  std::copy(was, was + 3, unstamped.bytes);
  unstamped.date = info.last_update;
  Date d = today();
  dbf::stamp_header(hdr, hdr.info.format, d.year, d.month, d.day);
  info.last_update = d;
  if (std::equal(was, was + 3, hdr.raw.data() + 1)) return false;
  header_dirty = true;
  return true;
}

// Writes bytes 1..7 (date, count) and autoincrement counters of the header.
void Table::Impl::write_header() {
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

void Table::Impl::flush_pending() {
  if (pending.empty()) return;
  if (memo) memo->flush();  // the memos before the records that point at them
  pending.push_back(0x1A);
  dbf->write_at(record_offset(disk_count + 1), pending.data(), pending.size());
  disk_count += uint32_t((pending.size() - 1) / hdr.record_len);
  pending.clear();
  if (memo) memo->flush();
  write_header();
}

void Table::Impl::flush() {
  if (read_only) return;
  flush_pending();
  if (memo) memo->flush();
  if (header_dirty && !write_header_locked(!(tx && shared))) unstamp();
  if (!shared)
    for (IndexSet* set : indexes()) set->flush();
}

void Table::Impl::set_autoinc_next(size_t hdr_index, int32_t next) {
  Field& f = hdr.fields[hdr_index];
  f.autoinc_next = next;
  coding::put_le32(hdr.raw.data() + dbf::Header::descriptor_offset(hdr_index) + 19,
                   uint32_t(next));
  for (auto& uf : fields)
    if (uf.name == f.name) uf.autoinc_next = next;
  header_dirty = true;
}

// ------------------------------------------------------------------ appends

// A value that puts bytes into the memo file. An empty text or binary writes none (the
// field's pointer becomes 0), so it needs no memo lock.
bool Table::Impl::writes_memo(const Field& f, const Value& v) const {
  if (!in_memo_file(f, hdr.info.format) || v.is_null() || v.is_empty()) return false;
  if (v.kind() == Value::Kind::text || v.kind() == Value::Kind::binary) return !v.str().empty();
  return true;
}

// Appends a record given as its stored bytes (memo pointers must be 0 or point into this
// table's memo file); for tools that move records that do not decode (repair's quarantine).
uint32_t Table::Impl::append_bytes(std::span<const uint8_t> bytes) {
  ChangeScope scope(*this, "an append");
  need_writable();
  if (bytes.size() != hdr.record_len)
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("{} bytes given for a record of {}", bytes.size(), hdr.record_len));
  const bool ours = header_ours();
  auto header = header_lock_to_append();
  if (shared && !ours) refresh_header(false);  // the counters too: store_appended writes them
  if (count == UINT32_MAX) throw Error(Errc::overflow, {path.string(), {}, {}, {}}, "table full");
  scratch.assign(bytes.begin(), bytes.end());
  return store_appended(count + 1);
}

uint32_t Table::Impl::append_record(std::span<const Value> values) {
  ChangeScope scope(*this, "an append");
  need_writable();
  // Shared use: the header lock serialises appends; under it the count and autoincrement
  // counters are read again from the file, so no two processes take the same record number;
  // not when this process's transaction has held the lock since before (header_ours()).
  const bool ours = header_ours();
  auto header = header_lock_to_append();
  if (shared && !ours) refresh_header(false);
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
uint32_t Table::Impl::store_appended(uint32_t recno) {
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
  note_tx_change(recno, nullptr);
  scratch.push_back(0x1A);
  dbf->write_at(record_offset(recno), scratch.data(), scratch.size());
  scratch.pop_back();
  disk_count = count = recno;
  // Read back by the caller as a rule (its autoincrement fields): in a transaction, which
  // keeps the header lock, nobody else can reach the record until the commit.
  if (shared && tx_holds(locks.layout().header())) keep_held(recno, scratch.data());
  write_header();
  for (IndexSet* set : sets) {
    set->apply(recno, nullptr, scratch.data());
    set->flush();
  }
  ig.done();
  return recno;
}

// ------------------------------------------------------------------ changes

lock::Held Table::Impl::record_lock_to_change(uint32_t recno) {
  journal::ReadForLock read(*dbf, record_offset(recno), hdr.record_len);
  return locks.auto_record(recno);
}

lock::Held Table::Impl::header_lock_to_append() {
  journal::ReadForLock read = header_read_for_lock();
  return locks.header();
}

void Table::Impl::set_deleted(uint32_t recno, bool deleted) {
  ChangeScope scope(*this, deleted ? "a delete" : "a recall");
  need_writable();
  check_recno(recno);
  auto rlock = record_lock_to_change(recno);
  stamp_shared();
  auto [was, rec] = change_copies(record_under_lock(recno));
  rec[0] = deleted ? '*' : ' ';
  change_record(recno, rec, was);
}

std::pair<const uint8_t*, uint8_t*> Table::Impl::change_copies(const uint8_t* cur) {
  change_was.assign(cur, cur + hdr.record_len);
  change_rec.assign(cur, cur + hdr.record_len);
  return {change_was.data(), change_rec.data()};
}

Table::Impl::ChangeScope::ChangeScope(Impl& im, std::string_view what) : im_(im) {
  if (im.changing)
    throw Error(Errc::usage, {im.path.string(), {}, {}, {}},
                fmt::format("{} refused: a warning handler called during another change of the table may not "
                            "change it",
                            what));
  im.changing = true;
}

// Replaces a record, keeping the tags in step (table_impl.h).
void Table::Impl::change_record(uint32_t recno, const uint8_t* after, const uint8_t* before) {
  IndexGuard ig(*this, true);
  const auto sets = indexes();
  if (!sets.empty()) {
    note_tx_change(recno, before);
    for (IndexSet* set : sets) set->check(recno, before, after);
  }
  stamp();
  write_record(recno, after);
  for (IndexSet* set : sets) {
    set->apply(recno, before, after);
    if (!write_behind) set->flush();
  }
  ig.done();
}

void Table::Impl::write_record(uint32_t recno, const uint8_t* bytes) {
  const size_t rl = hdr.record_len;
  if (recno > disk_count) {
    std::memcpy(pending.data() + size_t(recno - disk_count - 1) * rl, bytes, rl);
    return;
  }
  dbf->write_at(record_offset(recno), bytes, rl);
  if (recno >= win_first && recno < win_first + win_n)
    std::memcpy(window.data() + size_t(recno - win_first) * rl, bytes, rl);
  chunks_out_of_date(recno);
  if (held_record(recno)) keep_held(recno, bytes);
  // (Shared use wrote the date stamp before the change, under the header lock.)
  if (!write_behind && header_dirty && !shared) write_header();
}

// After a rollback: what this object derived from the forgotten changes (count, header
// date and counters, memo allocation, index pages) is read again from the files.
void Table::Impl::reload_after_rollback() {
  pending.clear();
  win_n = 0;
  held_records.clear();
  refresh_header(true);
  stamped = false;
  header_dirty = false;
  if (memo) memo->reload();
  for (IndexSet* set : indexes()) set->discard();
}

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

// ------------------------------------------------------------------ Table: reading and writing records

Record Table::read(uint32_t recno) {
  auto& im = *impl_;
  // Inside a shared scan a record this process holds locked is read again under its lock:
  // the scan's window was read before the lock, and a value computed from that copy and
  // written back would overwrite another process's change (as a change's own read, above).
  const uint8_t* b = im.scanning && im.shared && im.holds_record(recno) ? im.record_under_lock(recno)
                                                                         : im.record_bytes(recno);
  return Record(this, recno, std::span<const uint8_t>(b, im.hdr.record_len));
}

void Table::read_each(const std::vector<uint32_t>& recnos, const std::function<void(const Record&)>& fn) {
  auto& im = *impl_;
  const size_t rl = im.hdr.record_len;
  for (uint32_t r : recnos) im.check_recno(r);
  const bool together = im.shared && im.batch && !im.scanning && !im.tx && !im.locks.holds_any() &&
                        std::all_of(recnos.begin(), recnos.end(), [&](uint32_t r) { return r <= im.disk_count; });
  if (!together || recnos.size() < 2) {
    for (uint32_t r : recnos) fn(read(r));
    return;
  }
  // The batch's shared index lock keeps every cooperating writer out of every record (one read
  // each, docs/multi-user.md "Read batches"). Runs of records whose gaps are small are read
  // whole (a few KiB more cost a share nothing next to a round trip), up to 64 KiB a run.
  constexpr uint64_t kGapBytes = 8 * 1024, kRunBytes = 64 * 1024;
  std::vector<uint32_t> sorted = recnos;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  struct Run {
    uint32_t first, last;
    std::vector<uint8_t> bytes;
  };
  std::vector<Run> runs;
  for (uint32_t r : sorted) {
    if (!runs.empty() && uint64_t(r - runs.back().last - 1) * rl <= kGapBytes &&
        uint64_t(r - runs.back().first + 1) * rl <= kRunBytes)
      runs.back().last = r;
    else
      runs.push_back({r, r, {}});
  }
  im.settle_for_read();
  // At most 8 reads under way at once (a lookup of 64 scattered articles: 8 threads, not 64).
  if (std::exception_ptr e = run_spread(runs.size(), 8, im.options.fs->parallel_files(), [&](size_t i) {
        Run& run = runs[i];
        run.bytes.resize(size_t(run.last - run.first + 1) * rl);
        const size_t got = im.dbf->read_at(im.record_offset(run.first), run.bytes.data(), run.bytes.size());
        if (got < run.bytes.size()) im.past_end(run.first + uint32_t(got / rl));
      }))
    std::rethrow_exception(e);
  for (uint32_t r : recnos) {
    const Run& run = *std::prev(std::upper_bound(runs.begin(), runs.end(), r, [](uint32_t v, const Run& x) { return v < x.first; }));
    fn(Record(this, r, std::span<const uint8_t>(run.bytes.data() + size_t(r - run.first) * rl, rl)));
  }
}

void Table::scan(const std::function<bool(const Record&)>& fn, uint32_t from) {
  auto& im = *impl_;
  Impl::Scanning on(im);
  uint32_t r = std::max<uint32_t>(from, 1);
  if (im.shared && !im.header_ours() && im.refresh_count()) im.window_from_whole_file(r);
  const size_t rl = im.hdr.record_len;
  // The first window as always (a small table fits in it: the whole-file read above and one
  // read that agrees with it, no lock; window_from_whole_file). Past it, in
  // shared use, the records come in read batches of 2, 4, 8, then 16 windows, each read once
  // in one call (docs/multi-user.md, "Read batches": half the bytes of two reads that agree),
  // and are handed on once the batch has let go: fn may read other tables or change this one.
  const uint32_t per_window = uint32_t(std::max<size_t>(1, kWindowBytes / rl));
  // Inside the caller's batch every read is one already.
  bool batches = im.shared && im.options.batched_scans && !im.batch;
  std::vector<uint8_t> chunk;
  // A change fn makes (also in a scan nested in fn, also one rolled back later) to a record of
  // the chunk not yet handed on makes the rest of the chunk stale: read again from the table.
  Impl::ScanChunk mine;
  struct Listed {
    Impl& im;
    explicit Listed(Impl& i, Impl::ScanChunk* c) : im(i) { im.scan_chunks.push_back(c); }
    ~Listed() { im.scan_chunks.pop_back(); }
  } listed(im, &mine);
  for (uint32_t windows = 1; r <= im.count; windows = std::min<uint32_t>(windows * 2, 16)) {
    const uint32_t n = uint32_t(std::min<uint64_t>(uint64_t(per_window) * windows, im.count - r + 1));
    std::optional<ReadBatch> batch;
    if (batches && windows > 1) {
      batch.emplace(*this);
      batches = batch->active();
    }
    if (!batch || !batch->active()) {
      for (const uint32_t last = r + n - 1; r <= last; ++r)
        if (!fn(Record(this, r, {im.record_bytes(r), rl}))) return;
      continue;
    }
    chunk.resize(size_t(n) * rl);
    const size_t got = im.read_stable(im.record_offset(r), chunk.data(), chunk.size(), true);
    batch.reset();
    im.win_n = 0;  // a stale chunk's records are read again, never from a window older than it
    // The whole records read are handed on first; a file that ended before the count (cut
    // meanwhile) fails where it ends, as the record-by-record reading does.
    const uint32_t whole = uint32_t(got / rl);
    mine = {r, whole, r, false};
    for (uint32_t k = 0; k < whole; ++k, ++r) {
      mine.next = r + 1;
      if (!fn(Record(this, r, {mine.stale ? im.record_bytes(r) : chunk.data() + size_t(k) * rl, rl}))) return;
    }
    mine = {};
    if (whole < n)
      im.past_end(r);
  }
}

Value Table::get_tolerant(const Record& r, size_t field) {
  try {
    return r.get(field);
  } catch (const Error& e) {
    if (e.code() == Errc::usage) throw;
    impl_->warn({WarnCode::value_unreadable, e.where(), e.detail()});
    return Value::null();
  }
}

uint32_t Table::append() {
  impl_->database_code("append");
  return impl_->append_record({});
}

uint32_t Table::append(std::span<const Value> values) {
  impl_->database_code("append");
  return impl_->append_record(values);
}

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

// `changes`: (field number, value) pairs.
template <class Changes>
void Table::Impl::update_fields(uint32_t recno, const Changes& changes) {
  ChangeScope scope(*this, "an update");
  need_writable();
  database_code("update");
  check_recno(recno);
  // Shared use: under the record's lock (ours, or one taken for this change), the record is
  // read again from the file, so the change applies to what another process last wrote.
  auto rlock = record_lock_to_change(recno);
  stamp_shared();
  for (const auto& [i, v] : changes)
    if (i >= fields.size())
      throw Error(Errc::usage, {path.string(), {}, recno, {}}, fmt::format("no field #{}", i));
  bool memos = std::any_of(changes.begin(), changes.end(),
                           [&](const auto& ch) { return writes_memo(fields[ch.first], ch.second); });
  auto memo_held = memos ? memo_lock() : lock::Held();
  auto [was, rec] = change_copies(record_under_lock(recno));
  const auto& c = ctx(recno);
  for (const auto& [i, v] : changes) dbf::encode_field(fields[i], v, rec, c);
  memo_held.release();
  change_record(recno, rec, was);
}

void Table::update(uint32_t recno, size_t field, const Value& v) {
  // The value by reference: a copy of a long text would be an allocation per change.
  const std::array<std::pair<size_t, const Value&>, 1> one{{{field, v}}};
  impl_->update_fields(recno, one);
}

void Table::update(uint32_t recno, std::span<const std::pair<size_t, Value>> changes) {
  impl_->update_fields(recno, changes);
}

void Table::remove(uint32_t recno) {
  impl_->database_code("delete");
  impl_->set_deleted(recno, true);
}

void Table::recall(uint32_t recno) {
  impl_->database_code("recall");
  impl_->set_deleted(recno, false);
}

}  // namespace xbase
