// A table's open index files (the structural CDX and standalone ones): opening them, the
// index lock around reads and changes in shared use, and the public tag operations.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <system_error>

#include "io/path_text.h"
#include "table/table_files.h"
#include "table/table_impl.h"

namespace xbase {

namespace fs = std::filesystem;

namespace {

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) || a.lexically_normal() == b.lexically_normal();
}

}  // namespace

// ------------------------------------------------------------------ the open index files

Table::Impl::IndexList Table::Impl::indexes() {
  IndexList v;
  if (index) v.push_back(index.get());
  for (auto& e : extra) v.push_back(e.get());
  return v;
}

IndexSet* Table::Impl::find_set(std::string_view tag) {
  ready_indexes();
  for (IndexSet* set : indexes())
    if (set->file().find(tag)) return set;
  return nullptr;
}

// The index holding a tag (or, when none does, one that will say so by name).
IndexSet& Table::Impl::need_index(std::string_view what, std::string_view tag) {
  if (!index && extra.empty())
    throw Error(Errc::not_found, {path.string(), {}, {}, {}},
                index_problem.empty() ? fmt::format("{}: the table has no index open", what)
                                      : fmt::format("{}: {}", what, damaged_index()));
  // The structural index alone: it is the one, read (if not yet) under the operation's lock.
  if (extra.empty()) return *index;
  if (IndexSet* set = tag.empty() ? nullptr : find_set(tag)) return *set;
  return index ? *index : *extra.front();
}

// The indexes of this table in a CDX file.
std::unique_ptr<IndexSet> Table::Impl::make_set(std::unique_ptr<cdx::CdxFile> f) {
  // Shared use: pages read ahead in blocks (one round trip fetches 64 pages; page_store.h).
  if (shared) f->set_read_ahead(true);
  // A transaction's before-images of the pages and counters a flush writes over, from the
  // bytes the index holds already (one read per changed index fewer at each commit).
  if (auto* staged = dynamic_cast<journal::StagedFile*>(&f->file()))
    f->set_base_noter([staged](uint64_t off, const uint8_t* b, size_t n) { staged->note_base(off, b, n); });
  return std::make_unique<IndexSet>(std::move(f), hdr.fields, *cp, hdr.info.format,
                                    record_scan(), [this](uint32_t r) { return record_bytes(r); },
                                    [this] { return count; }, *fs, sort_memory);
}

// Opens a CDX file of this table; warns about tags it cannot maintain.
std::unique_ptr<IndexSet> Table::Impl::open_index_file(const fs::path& p, bool ro, bool lazy,
                                                      std::unique_ptr<File> file) {
  if (!file) file = fs->open(p, ro ? OpenMode::read_only : OpenMode::read_write);
  if (lazy) return make_set(cdx::CdxFile::open_unloaded(std::move(file)));
  // Shared use: the directory and tag headers are read under the index read lock, so a
  // writer's half-flushed pages are never taken for the index. (Closing the file on an
  // error releases the lock with it.)
  LockRange r{};
  if (shared) {
    r = locks.index_read();
    if (!lock::acquire(*fs, *file, r, LockMode::shared, locks.internal_wait()))
      locks.failed(*file, r, "the index", {}, locks.internal_wait());
  }
  auto set = make_set(cdx::CdxFile::open(std::move(file)));
  if (shared) set->file().file().unlock(r.offset, r.length);
  warn_tags(*set);
  return set;
}

void Table::Impl::warn_tags(IndexSet& set) {
  for (const auto& t : set.tags())
    if (!t.problem.empty())
      warn({WarnCode::tag_unmaintainable, {set.file().file().path(), {}, {}, {}},
            fmt::format("tag {} cannot be maintained: {}", t.name, t.problem)});
}

// Shared use opens the structural CDX unloaded: its first use reads it under the index lock
// that use takes anyway, and that read is also the check for other writers' commits, so a
// table opened and not searched costs no index read, and one searched once costs one read
// (not the load at open and the update counter again at the first seek). Exclusive use has
// no counter reads to spare and reads it at open.
void Table::Impl::open_structural_index(const fs::path& p, bool ro, std::unique_ptr<File> opened) {
  try {
    index_path = p;
    index = open_index_file(p, ro, shared, std::move(opened));
    index_problem.clear();
  } catch (const Error& e) {
    // In shared use nothing is parsed here (the index is read at its first use): a connection
    // that failed (Errc::io) or a file another program holds (Errc::in_use, Windows) is not a
    // damaged index. Set aside, this program's changes would go on without maintaining it or
    // taking its lock. A read-only open (xbase check) and exclusive use (xbase repair, which
    // rebuilds it) go on without it and report it.
    if (e.code() == Errc::lock_timeout || (writes_shared() && (e.code() == Errc::io || e.code() == Errc::in_use)))
      throw;
    index_problem = fmt::format("{}: {}", path_utf8(p.filename()), e.detail());
    warn({WarnCode::index_unusable, e.where(), e.detail() + "; the index is not used"});
  }
}

void Table::Impl::forget_indexes_after_recovery() {
  if (!shared || !watch) return;
  const uint64_t now = watch->replay_changes();
  if (now == replays_seen) return;
  replays_seen = now;
  for (IndexSet* set : indexes()) set->unload();
}

bool Table::Impl::recovered_meanwhile() {
  if (!shared || !watch) return false;
  const uint64_t before = replays_seen;
  watch->settle(journal ? &journal->path() : nullptr, options.internal_lock_timeout);
  return watch->replay_changes() != before;
}

bool Table::Impl::load_index(IndexSet& set) {
  if (set.loaded()) return true;
  try {
    set.load();
  } catch (const Error& e) {
    // A read the connection failed (Errc::io) fails this use only: the next one reads again
    // (set aside, as above, changes would skip the index and its lock).
    // A read-only reader too (a front end's long-lived reader would keep failing until it
    // restarts).
    if (e.code() == Errc::lock_timeout || (shared && e.code() == Errc::io)) throw;
    // A dead process's commit half written (its counters moved, a page not yet there) reads
    // as damage: completed now, the transaction is refused (it may have read that half too),
    // and a reader loads the index again, instead of setting the index aside for good.
    if (e.code() == Errc::corrupt && recovered_meanwhile()) {
      replays_seen = watch->replay_changes();
      if (tx)
        throw Error(Errc::retry, e.where(),
                    "an index was half written by another program that stopped while saving; its change "
                    "was completed just now, so nothing was changed: do it again");
      set.unload();
      return load_index(set);
    }
    if (&set != index.get()) throw;
    index_problem = fmt::format("{}: {}", path_utf8(index_path.filename()), e.detail());
    warn({WarnCode::index_unusable, e.where(), e.detail() + "; the index is not used"});
    dead_indexes.push_back(std::move(index));
    sets_epoch = next_epoch();
    return false;
  }
  warn_tags(set);
  return true;
}

void Table::Impl::ready_indexes() {
  if (!index || index->loaded()) return;  // only the structural index opens unloaded
  need_no_batch("reading the index", false);
  if (!shared || locks.index_held() || index_ours(*index)) {
    load_index(*index);
    return;
  }
  File& f = index->file().file();
  const LockRange r = locks.index_read();
  if (!lock::acquire(*fs, f, r, LockMode::shared, locks.internal_wait()))
    locks.failed(f, r, "the index", {}, locks.internal_wait());
  lock::Held held(f, r);
  load_index(*index);
}

std::string Table::Impl::damaged_index() const {
  return fmt::format("the structural index is damaged and not used ({}); run `xbase check {}`", index_problem,
                     path_utf8(path));
}

// Sets or clears the structural-index flag (header byte 28).
void Table::Impl::set_index_flag(bool on) {
  hdr.flags = on ? uint8_t(hdr.flags | 0x01) : uint8_t(hdr.flags & ~0x01);
  hdr.raw[28] = hdr.flags;
  dbf->write_at(28, &hdr.flags, 1);
  info.flags = hdr.flags;
  info.structural_index = on;
  info.structural_index_path = on ? std::optional<std::string>(index_path.string()) : std::nullopt;
  // VFP locks records at other offsets when a table has a structural index.
  locks.set_layout(LockLayout(options.lock_scheme, on, hdr.header_len, hdr.record_len));
}

// Before INDEX ON: exclusive use, buffered records written, a name no open index uses.
void Table::Impl::prepare_new_tag(const TagSpec& spec) {
  need_writable();
  need_exclusive("creating a tag");
  flush();
  if (find_set(spec.name))
    throw Error(Errc::usage, {path.string(), {}, {}, {}},
                fmt::format("tag {} exists already in an open index", spec.name));
}

// ------------------------------------------------------------------ index locks and reads

Table::Impl::IndexGuard::IndexGuard(Impl& im, bool write) : im_(im), write_(write) {
  if (!im.shared) return;
  if (im.locks.index_held()) {
    if (im.index && !im.load_index(*im.index) && !write) damaged(im);
    return;
  }
  // It may have to write the keys again, or hold a set-aside index's lock for the commit.
  if (!im.yielded.empty() || im.dead_yielded) write_ = write = true;
  const auto sets = im.indexes();
  boost::container::small_vector<File*, 4> files;
  // A writer locks an index it set aside as damaged too (it stays open, first: it was the
  // structural one): a reader that could still read it holds a read batch under its lock
  // (docs/multi-user.md, "Read batches") and must not meet a record written half.
  if (write)
    for (auto& dead : im.dead_indexes) files.push_back(&dead->file().file());
  boost::container::small_vector<bool, 4> ours;  // before locking: a lock taken now must be followed by a refresh
  // Each index's lock is named with its first read below (its load, or the counter's read):
  // in a transaction that read is made beside the look at the folder after the lock.
  boost::container::small_vector<journal::ReadForLock, 4> reads;
  for (IndexSet* set : sets) {
    files.push_back(&set->file().file());
    ours.push_back(im.index_ours(*set));
    if (auto r = set->file().first_read()) reads.emplace_back(set->file().file(), r->first, r->second);
  }
  held_ = im.locks.index({files.data(), files.size()}, write);
  reads.clear();
  if (held_.empty()) return;
  owner_ = true;
  im.dead_yielded = false;
  // After the lock: inside a transaction its settle may be the one that completed a dead
  // process's commit, whose pages kept the counter this table's cached ones carry.
  im.forget_indexes_after_recovery();
  // An index opened unloaded is read now, under this lock: that read is its freshness check
  // (no counter read follows it). A structural index that does not parse is set aside as at
  // open: a change goes on without it, a read says it is damaged.
  boost::container::small_vector<bool, 4> fresh(sets.size(), false);
  bool lost = false;
  try {
    for (size_t i = 0; i < sets.size(); ++i)
      if (!sets[i]->loaded()) {
        fresh[i] = true;
        lost = !im.load_index(*sets[i]) || lost;
      }
  } catch (...) {
    owner_ = false;
    im.locks.index_done();
    throw;
  }
  if (lost && !write) {
    owner_ = false;
    im.locks.index_done();
    damaged(im);
  }
  if (!im.yielded.empty()) {
    for (IndexSet* set : sets) set->lock_retaken();
    try {
      im.retake_index_locks();
    } catch (...) {
      owner_ = false;  // no destructor runs for a guard whose constructor threw
      im.locks.index_done();
      for (IndexSet* set : sets) set->discard();
      throw;
    }
    return;
  }
  try {
    for (size_t i = 0; i < sets.size(); ++i)
      if (!ours[i] && !fresh[i]) sets[i]->refresh();
  } catch (...) {
    // A header that would not read or parse (a dropped connection, a commit half applied):
    // no lock stays believed held (later changes would run without it), and the index is read
    // again whole at its next use instead of trusted half loaded.
    for (IndexSet* set : sets) {
      try {
        set->discard();
      } catch (...) {
      }
    }
    owner_ = false;
    im.locks.index_done();
    throw;
  }
}

void Table::Impl::IndexGuard::damaged(Impl& im) {
  throw Error(Errc::not_found, {im.path.string(), {}, {}, {}}, im.damaged_index());
}

void Table::Impl::IndexGuard::done() {
  if (!owner_) return;
  if (write_)
    for (IndexSet* set : im_.indexes()) set->flush();
  owner_ = false;
  im_.locks.index_done();
  for (auto& h : held_) h.release();
}

Table::Impl::IndexGuard::~IndexGuard() {
  if (!owner_) return;
  im_.locks.index_done();
  // The operation failed halfway: what it changed in cached pages must not survive.
  try {
    if (write_)
      for (IndexSet* set : im_.indexes()) set->discard();
  } catch (...) {
  }
}

bool Table::Impl::indexes_unchanged() {
  const auto sets = indexes();
  return !sets.empty() && std::all_of(sets.begin(), sets.end(), [this](IndexSet* s) {
    if (!s->loaded()) return false;  // its first use reads it under the lock
           if (index_ours(*s)) return !s->file().dirty() && !s->file().store().dirty();
           return s->file().unchanged();
         });
}

// Whether this process's transaction holds the index file's write lock (kept until it ends,
// taken and followed by a refresh under it): then no other process can change the file, and
// its update counter need not be read again before each read (one pread each).
bool Table::Impl::index_ours(IndexSet& s) {
  auto* f = dynamic_cast<journal::StagedFile*>(&s.file().file());
  if (!f || !f->staging()) return false;
  const LockRange r = locks.index_read();  // a writer's range covers every reader's
  return f->covered(r.offset, r.length);
}

// ------------------------------------------------------------------ lock order in a transaction

void Table::Impl::note_tx_change(uint32_t recno, const uint8_t* before) {
  if (!tx || !shared || tx_before.count(recno)) return;
  tx_before[recno] = before ? std::optional<std::vector<uint8_t>>(std::vector<uint8_t>(before, before + hdr.record_len))
                            : std::nullopt;
  // The record as the file holds it, read under its lock (ours until the commit): the commit's
  // before-image of it. Not bytes a caller brought from elsewhere (a scan's window was read
  // before the lock).
  const uint8_t* held = before ? held_record(recno) : nullptr;
  if (held && std::memcmp(held, before, hdr.record_len) == 0)
    if (auto* f = dynamic_cast<journal::StagedFile*>(dbf.get())) f->note_base(record_offset(recno), before, hdr.record_len);
}

void Table::Impl::yield_index_locks() {
  if (!shared || locks.index_held()) return;
  const LockRange w = locks.layout().index_write();
  for (IndexSet* set : indexes()) {
    auto* f = dynamic_cast<journal::StagedFile*>(&set->file().file());
    if (!f || !f->staging() || !f->covered(w.offset, w.length)) continue;
    set->flush();  // into the staged bytes
    YieldedIndex y{set, {}, 0};
    if (f->base().read_at(0, y.head, sizeof y.head) != sizeof y.head) continue;  // keep the lock
    y.size = f->base().size();
    f->release_kept(w.offset, w.length);
    yielded.push_back(y);
  }
  // An index set aside is locked by writers too (IndexGuard): given up the same way, taken
  // again by the next index operation.
  for (auto& dead : dead_indexes) {
    auto* f = dynamic_cast<journal::StagedFile*>(&dead->file().file());
    if (!f || !f->staging() || !f->covered(w.offset, w.length)) continue;
    f->release_kept(w.offset, w.length);
    dead_yielded = true;
  }
}

void Table::Impl::retake_index_locks() {
  bool moved = false;
  for (const YieldedIndex& y : yielded) {
    auto& f = static_cast<journal::StagedFile&>(y.set->file().file());
    uint8_t head[sizeof y.head];
    moved = moved || f.base().read_at(0, head, sizeof head) != sizeof head ||
            std::memcmp(head, y.head, sizeof head) != 0 || f.base().size() != y.size;
  }
  yielded.clear();
  if (moved) remake_tx_keys();
}

// Another writer changed an index file while the transaction waited for a record lock: the
// pages it staged are based on an older file. They go, and every record the transaction
// touched is keyed again against the file as it is now (its records are still under its locks).
void Table::Impl::remake_tx_keys() {
  const auto sets = indexes();
  try {
    for (IndexSet* set : sets) {
      if (auto* f = dynamic_cast<journal::StagedFile*>(&set->file().file())) f->discard_staged();
      set->discard();
    }
    std::vector<uint8_t> after;
    for (const auto& [recno, before] : tx_before) {
      const uint8_t* a = record_bytes(recno);
      after.assign(a, a + hdr.record_len);
      const uint8_t* b = before ? before->data() : nullptr;
      for (IndexSet* set : sets) set->check(recno, b, after.data());
      for (IndexSet* set : sets) set->apply(recno, b, after.data());
    }
    for (IndexSet* set : sets) set->flush();
  } catch (const Error& e) {
    tx_broken = e.detail();
    tx_broken_code = e.code();
    throw Error(e.code(), e.where(),
                e.detail() + " (keying the transaction's records again after another writer changed "
                             "the index; the transaction can only roll back)");
  }
}

// ------------------------------------------------------------------ Table: tags

const std::vector<TagInfo>& Table::tags() const {
  static const std::vector<TagInfo> none;
  auto& im = *impl_;
  im.ready_indexes();
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

}  // namespace xbase
