// The indexes of one table: the structural CDX with its tags compiled, kept up to date as
// records change, built and rebuilt in bulk, and read in tag order.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include "cdx/cdx_file.h"
#include "expr/expr.h"
#include "xbase/index.h"
#include "xbase/table.h"

namespace xbase {

class IndexSet {
 public:
  // Calls fn(first recno, count, records, record length) for every run of records of the
  // table, in record order: the records of a run lie back to back (one call per read window,
  // not per record, since bulk builds visit millions of them).
  using RecordVisitor = std::function<void(uint32_t, uint32_t, const uint8_t*, size_t)>;
  using RecordScan = std::function<void(const RecordVisitor&)>;
  // One record as the file holds it now (in shared use read again from the file).
  using RecordRead = std::function<const uint8_t*(uint32_t)>;

  // `sort_memory` bounds the keys a bulk build sorts in memory; beyond it they are sorted in
  // runs written to temporary files beside the index (through `fs`).
  IndexSet(std::unique_ptr<cdx::CdxFile> file, const std::vector<Field>& descriptors,
           const Codepage& cp, Format format, RecordScan scan, RecordRead read,
           std::function<uint32_t()> record_count, FileSystem& fs, size_t sort_memory);

  // Shared use opens the file unloaded (Table::Impl::open_index_file): nothing is read until
  // the first operation, whose index lock the load runs under; load() is that first read.
  bool loaded() const { return file_->loaded(); }
  void load();
  const std::vector<TagInfo>& tags() const { return infos_; }
  cdx::CdxFile& file() {
    settle_deferred();
    return *file_;
  }

  // Record changes. `before` is null for an append. Throws (and changes nothing) when a
  // candidate tag would get a duplicate key or a tag cannot be maintained.
  void check(uint32_t recno, const uint8_t* before, const uint8_t* after);
  void apply(uint32_t recno, const uint8_t* before, const uint8_t* after);
  // An append in exclusive use: the keys of plain tags (not UNIQUE or CANDIDATE) are gathered
  // and go into the trees sorted, all at once, before the tags are next read or written (a
  // tag still empty is then built in bulk). Others are applied at once.
  void apply_append_deferred(uint32_t recno, const uint8_t* after);
  void flush() {
    settle_deferred();
    file_->flush();
  }
  // Shared use, under the index lock: re-reads the file when another process changed it
  // (update counter) and forgets what was derived from the old pages. Returns whether it did.
  // A file not loaded yet is loaded (no counter read: the load reads the file as it is now).
  bool refresh();
  // Shared use: the index lock was taken again without refresh() (a transaction retaking
  // the locks it gave up). Records may have changed meanwhile (see members_lock).
  void lock_retaken() { ++lock_epoch_; }
  // Drops changes not yet flushed (an operation failed halfway under a shared lock).
  void discard();
  // Forgets the file's pages and tags without reading: loaded again at the next use, under
  // that use's lock.
  void unload();

  void create_tag(const TagSpec& spec);
  void drop_tag(std::string_view name);
  // Builds every tag again from its definition into a fresh file (zap, pack, reindex).
  std::vector<TagSpec> specs() const;

  std::vector<uint32_t> order(std::string_view tag);
  // Compares the tag with its keys computed from the records (FOR and UNIQUE honoured) and
  // describes the differences (at most `limit`); empty when the tag is right.
  std::vector<std::string> verify(std::string_view tag, size_t limit = 20);
  std::optional<uint32_t> seek(std::string_view tag, const Value& key, SeekMode mode);
  size_t key_count(std::string_view tag);

  // The index key a value becomes in this tag (for seeks and scopes).
  std::string seek_key(std::string_view tag, const Value& key, SeekMode mode);

  // A position in a tag, in the tag's own order (DESCENDING walks the tree backwards).
  // Positions survive changes: a move re-finds the entry by (key, recno) when its page moved.
  struct Cursor {
    std::string tag;
    std::string key;
    uint32_t recno = 0;  // 0: not positioned (eof)
    uint32_t page = cdx::kNone;
    size_t index = 0;
    std::optional<std::string> top, bottom;  // scope, as key prefixes in the tag's order
    uint64_t generation = 0;  // the file's pages the position refers to (see refresh())
  };
  bool first(Cursor& c);
  bool last(Cursor& c);
  bool step(Cursor& c, bool forward);  // to the next entry in the tag's order
  bool seek(Cursor& c, const Value& key, SeekMode mode);

 private:
  struct Runtime {
    std::string name;
    std::optional<expr::Expression> key, cond;
    std::string problem;
    uint16_t key_length = 0;
    uint8_t fill = ' ';
    bool marker = false, unique = false, candidate = false, descending = false;
    bool nulls_as_blank = false;  // TagInfo::nulls_as_blank
    expr::DirectKey direct;  // kind none: evaluate the key expression
    // UNIQUE tags: every record of each key, built by one scan the first time the record that
    // stands for a key leaves the tag, then kept up to date (so finding its heir is cheap).
    std::optional<std::unordered_map<std::string, std::set<uint32_t>>> members;
    // The index lock the members were gathered under (lock_epoch_). Under a later one they may
    // be stale: another process can change a record without touching this tag (its new key is
    // held by a lower record), and would become the heir of a key it no longer has.
    uint64_t members_lock = 0;
    // Deferred appends: (key, record number big-endian) entries of key_length + 4 bytes.
    std::vector<uint8_t> deferred;
    uint32_t deferred_max = 0;
  };
  void apply_one(Runtime& rt, uint32_t recno, const uint8_t* before, const uint8_t* after);
  void gather_members(Runtime& rt);
  // The record that takes `key` in a UNIQUE tag when its holder leaves it, if any has it.
  std::optional<uint32_t> heir(Runtime& rt, const std::string& key);
  // Puts deferred keys into their trees (called before anything reads or changes a tag).
  void settle_deferred() {
    if (deferred_bytes_) insert_deferred();
  }
  void insert_deferred();
  size_t deferred_room(const Runtime& rt) const;
  void compile(const cdx::Tag& t);
  static void choose_direct(Runtime& rt);
  Runtime& runtime(std::string_view name);
  bool key_of(const Runtime& rt, uint32_t recno, const uint8_t* rec, std::string& key) const;
  static std::string encode(const Runtime& rt, expr::XValue v);  // a value's key in the tag
  void refresh_infos();
  void forget_pages();
  void forget_read(bool reread);
  bool in_scope(const Cursor& c, std::string_view key) const;
  bool settle(Cursor& c, cdx::Tree& tree, uint32_t page, size_t index, bool forward);
  // Moves one entry in tree order (ascending); returns false at either end.
  bool tree_step(cdx::Tree& tree, uint32_t& page, size_t& index, bool up);

  std::unique_ptr<cdx::CdxFile> file_;
  const std::vector<Field>& fields_;
  const Codepage& cp_;
  Format format_;
  RecordScan scan_;
  RecordRead read_;
  std::function<uint32_t()> record_count_;  // how many records a scan is about to visit
  // fn(recno, record bytes) for every record, inlined into the loop over each run.
  template <class F>
  void for_each_record(F&& fn) {
    scan_([&](uint32_t first, uint32_t n, const uint8_t* recs, size_t stride) {
      for (uint32_t i = 0; i < n; ++i) fn(first + i, recs + size_t(i) * stride);
    });
  }
  FileSystem& fs_;
  size_t sort_memory_;
  std::vector<Runtime> runtimes_;
  std::vector<TagInfo> infos_;
  const Field* nullflags_ = nullptr;
  uint64_t generation_ = 0;  // bumped whenever cached pages were dropped
  uint64_t lock_epoch_ = 0;  // bumped whenever the index lock is taken anew (shared use)
  size_t deferred_bytes_ = 0;
  // A change's keys (old, new), kept between changes: a key cut from the
  // record (a field, UPPER(field): DirectKey) longer than a string's inline room is no
  // allocation per change then. Other expressions' keys are built by the evaluator anew.
  std::string old_key_, new_key_;
};

}  // namespace xbase
