// The layer every file of a Table goes through, so that a transaction can hold the table's
// changes back: while staging, writes land in memory (reads see them), syncs wait, and locks
// taken for the changes are kept until the transaction ends. Outside a transaction it only
// forwards. A commit journals the staged bytes and then applies them (journal/journal.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "io/forwarding_fs.h"
#include "io/os_handle.h"

namespace xbase::journal {

class StagingFs;
class Unlocks;

// What a transaction does after every new lock its tables' files take (StagingFs::begin): it
// looks at the folder for commits other processes left unfinished (Transaction: a settle).
class AfterLock {
 public:
  // Taken before the look and before any read made beside it: what look() compares with.
  virtual uint64_t mark() = 0;
  // Completes a dead process's commit, waits for a live one's (throws when that fails). True
  // when the folder was found as the last look left it, nothing completed since `mark`: what
  // was read under the new lock since the mark stands.
  virtual bool look(uint64_t mark) = 0;

 protected:
  ~AfterLock() = default;
};

class StagedFile final : public File, public FileWrapper {
 public:
  StagedFile(StagingFs& owner, std::unique_ptr<File> base);
  ~StagedFile() override;

  size_t read_at(uint64_t off, void* buf, size_t n) override;
  void write_at(uint64_t off, const void* buf, size_t n) override;
  uint64_t size() override;
  void truncate(uint64_t size) override;
  void sync() override;
  bool lock(uint64_t off, uint64_t len, LockMode mode, bool wait) override;
  void unlock(uint64_t off, uint64_t len) override;
  std::optional<LockInfo> probe(uint64_t off, uint64_t len) override {
    return base_->probe(off, len);
  }
  const std::string& path() const override { return base_->path(); }
  // The file's own: a hint only (staged bytes may lie past it; a short read tells the truth).
  std::optional<uint64_t> size_at_open() override { return base_->size_at_open(); }

  // --- the transaction's side ---
  using Extents = std::map<uint64_t, std::vector<uint8_t>>;  // disjoint, not adjacent
  bool staging() const { return staging_; }
  bool changed() const { return !extents_.empty() || truncated_.has_value(); }
  const Extents& extents() const { return extents_; }
  std::optional<uint64_t> truncated_to() const { return truncated_; }
  File& base() { return *base_; }
  File& wrapped() override { return *base_; }
  void begin();
  // Writes the staged bytes to the file itself (truncation first) and syncs it.
  void apply();
  // Stops staging: forgets staged bytes and releases the exclusive locks taken while staging
  // and the ones the table gave up meanwhile. `to_close`, on a file of the OS's own (POSIX): the
  // locks are left to the file's close, which drops them in the call that closes it (no unlock
  // call each, a round trip on a share); release_left() unlocks them if the file is used first.
  // With `later`, the unlocks are handed to it, which makes them beside other files' (a commit's
  // end), instead of now.
  void end(bool to_close = false, Unlocks* later = nullptr);
  // Unlocks the locks end(true) left to the close (none: nothing).
  void release_left() noexcept;
  // Whether end() will release the range (it lies in locks kept for the transaction).
  bool covered(uint64_t off, uint64_t len) const;
  // Releases now the kept exclusive locks lying within the range (the transaction gives an
  // index lock up while it waits for a record lock: locks are taken record before index).
  void release_kept(uint64_t off, uint64_t len);
  // Forgets the staged bytes (not the locks): they are made again from the base file.
  void discard_staged() {
    extents_.clear();
    truncated_.reset();
    noted_.clear();
  }
  // Bytes the base file holds, read under a lock the transaction keeps (a record's bytes
  // before its first change): the commit's before-images take them instead of reading.
  void note_base(uint64_t off, const uint8_t* bytes, size_t n);
  // The base file's bytes [off, off + n) when noted bytes cover the whole range.
  bool noted_base(uint64_t off, size_t n, std::vector<uint8_t>& out) const;
  // A read the next lock taken on this file is for (a record, the header, the index's counters:
  // bytes that lock keeps other writers out of; a batch of records, one each), until
  // no_read_for_lock(). In a transaction, on a file system that serves files side by side, they
  // are made beside the look at the folder that follows a new lock, and a later read of the file
  // takes one when it asks for its bytes and the look found nothing (docs/transactions.md, "The
  // read beside the look").
  void read_for_lock(uint64_t off, size_t n) { read_for_.push_back({off, n}); }
  void no_read_for_lock() { read_for_.clear(); }

 private:
  friend class StagingFs;  // a deferred check's batch gives its locks back (end_deferral)
  friend class Unlocks;
  StagingFs& owner_;
  std::unique_ptr<File> base_;
  bool staging_ = false;
  Extents extents_;
  Extents noted_;  // note_base(), by offset
  std::optional<uint64_t> truncated_;
  struct Range {
    uint64_t off, len;
  };
  // The parts of the range that no lock kept for the transaction covers yet.
  std::vector<Range> uncovered(uint64_t off, uint64_t len) const;
  void unlock_each(const std::vector<Range>& ranges) noexcept;
  // The base file's bytes: the read made beside the look when it is what is asked for.
  size_t read_base(uint64_t off, void* buf, size_t n);
  std::vector<Range> read_for_;  // read_for_lock()
  struct ReadBeside {
    uint64_t off = 0;
    size_t asked = 0;
    std::vector<uint8_t> bytes;  // what the read brought (short at the file's end)
    uint64_t mark = 0;           // AfterLock::mark() before it
  };
  // Each taken once by a read it serves; all dropped when a lock of the file goes (an unlock,
  // the transaction's end) or the file itself is written (outside a transaction).
  std::vector<ReadBeside> beside_;
  std::vector<Range> held_;    // exclusive locks kept for the transaction, released by end()
  std::vector<Range> shared_;  // shared locks taken while staging and not yet released
  std::vector<Range> left_;    // locks end(true) left to the close
};

// The locks several staged files give back at a transaction's end, unlocked side by side (each
// file's in turn, at most 16 files and releases at once) where every file's file system serves files side by
// side, else one after the other. On a share each unlock is a round trip to the server, and a
// program that goes on after its commit (the web front end) gave back a lock or two on each of
// ten files one after the other. The order of the unlocks does not matter: the commit is
// complete and synced before any of them. run() (or the destructor) makes them.
class Unlocks {
 public:
  Unlocks() = default;
  Unlocks(const Unlocks&) = delete;
  Unlocks& operator=(const Unlocks&) = delete;
  ~Unlocks() { run(); }
  // One more release made beside the files' unlocks (it must not throw).
  void also(std::function<void()> release) { also_.push_back(std::move(release)); }
  void run() noexcept;

 private:
  friend class StagedFile;
  struct Of {
    StagedFile* file;
    std::vector<StagedFile::Range> ranges;
  };
  std::vector<Of> files_;
  std::vector<std::function<void()>> also_;
  bool side_by_side_ = true;
};

// For its scope, names the read the lock about to be taken on `f` is for
// (StagedFile::read_for_lock); nothing when `f` is not a staged file.
class ReadForLock {
 public:
  explicit ReadForLock(File& f) : f_(dynamic_cast<StagedFile*>(&f)) {}
  ReadForLock(File& f, uint64_t off, size_t n) : ReadForLock(f) { add(off, n); }
  void add(uint64_t off, size_t n) {
    if (f_) f_->read_for_lock(off, n);
  }
  ~ReadForLock() {
    if (f_) f_->no_read_for_lock();
  }
  ReadForLock(ReadForLock&& o) noexcept : f_(std::exchange(o.f_, nullptr)) {}
  ReadForLock& operator=(ReadForLock&&) = delete;

 private:
  StagedFile* f_;
};

// Wraps a FileSystem so that every file opened through it is a StagedFile; knows the live
// ones, so that a transaction can stage all files of a table at once.
class StagingFs final : public ForwardingFileSystem {
 public:
  explicit StagingFs(FileSystem& base) : ForwardingFileSystem(base) {}

  std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) override;

  // `after` (when given) looks after every new lock a staged file obtains, once per batch
  // (DeferredCheck) (a transaction checks there that no unfinished commit of a dead process
  // touches what it is about to read), until end().
  void begin(AfterLock* after);
  void end(bool to_close = false, Unlocks* later = nullptr);  // every file: StagedFile::end()
  void release_left() noexcept;     // every file: StagedFile::release_left()
  bool staging() const { return staging_; }
  const std::vector<StagedFile*>& files() const { return files_; }
  // Whether the file system below serves files side by side (FileSystem::parallel_files).
  bool side_by_side() { return base_.parallel_files(); }

  // A batch of locks with nothing read under them in between (Table::lock_records): the check
  // after a new lock runs once, when the batch ends, instead of after each lock (one read of
  // the journal marker per lock, a round trip on a share). Outside a transaction it does
  // nothing.
  class DeferredCheck {
   public:
    explicit DeferredCheck(StagingFs& s) : s_(s) { s_.deferring_ = s_.staging_; }
    // A batch that did not get to done() (a lock of it refused, or its check failed) gives
    // every lock it took back, as a single lock whose check failed: none of them stays kept
    // for the transaction unchecked.
    ~DeferredCheck() { s_.end_deferral(); }
    DeferredCheck(const DeferredCheck&) = delete;
    DeferredCheck& operator=(const DeferredCheck&) = delete;
    // Runs the check if the batch took a lock; the batch's locks are the transaction's then.
    void done();

   private:
    StagingFs& s_;
  };

 private:
  friend class StagedFile;
  void end_deferral() noexcept;
  // The look after a new lock of `f` (the last one of a batch), with the read `f` names for it
  // made beside when the file system allows.
  void look_after_lock(StagedFile& f);
  struct Deferred {
    StagedFile* file;
    uint64_t off, len;
    bool exclusive;
  };
  bool staging_ = false;
  bool deferring_ = false;         // inside a DeferredCheck
  std::vector<Deferred> deferred_;  // the locks taken since, not yet checked
  AfterLock* after_ = nullptr;
  std::vector<StagedFile*> files_;
};

}  // namespace xbase::journal
