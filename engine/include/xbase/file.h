// The narrow interface every byte on disk goes through (after SQLite's VFS and LevelDB's Env):
// it is what makes fault injection and other platforms possible.
#pragma once

#include <chrono>
#include <cstddef>
#include <ctime>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xbase {

enum class OpenMode {
  read_only,
  read_write,
  create,  // create or truncate, read-write
  // Read-write for exclusive use: on Windows no other handle may open the file meanwhile
  // (share mode 0); elsewhere the same as read_write (the engine's share lock does the work).
  exclusive,
};

enum class LockMode { shared, exclusive };

// A byte-range lock someone holds, as the operating system reports it.
struct LockInfo {
  uint64_t offset = 0;
  uint64_t length = 0;  // 0: to the end of all offsets
  LockMode mode = LockMode::exclusive;
  int64_t pid = -1;     // -1: an open file description lock (also Samba's locks for SMB clients)
};

class File {
 public:
  virtual ~File() = default;
  // Reads up to n bytes at off; returns the count read (short only at end of file).
  virtual size_t read_at(uint64_t off, void* buf, size_t n) = 0;
  // Writes all n bytes at off or throws xbase::Error.
  virtual void write_at(uint64_t off, const void* buf, size_t n) = 0;
  virtual uint64_t size() = 0;
  // The size the open found, as far as it is known without asking again (on a share the
  // server's answer to the open itself; size() asks the server): a hint for choosing how much
  // to read at once, never a record count. Nothing where no such size is at hand.
  virtual std::optional<uint64_t> size_at_open() { return std::nullopt; }
  virtual void truncate(uint64_t size) = 0;
  virtual void sync() = 0;
  // Byte-range lock; returns false when another holder conflicts and wait is false.
  virtual bool lock(uint64_t off, uint64_t len, LockMode mode, bool wait) = 0;
  virtual void unlock(uint64_t off, uint64_t len) = 0;
  // The first lock held by another open file that conflicts with an exclusive lock on the
  // range (F_OFD_GETLK); nothing when the range is free.
  virtual std::optional<LockInfo> probe(uint64_t off, uint64_t len) {
    (void)off;
    (void)len;
    return std::nullopt;
  }
  virtual const std::string& path() const = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  virtual std::unique_ptr<File> open(const std::filesystem::path& p, OpenMode mode) = 0;
  virtual bool exists(const std::filesystem::path& p) = 0;
  virtual void rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  // Renames `from` to `to` unless something has that name already: then false, nothing changed.
  // Two programs publishing the same name (a backup, an output) each keep their own file.
  virtual bool rename_unless_exists(const std::filesystem::path& from, const std::filesystem::path& to);
  // A second name for a file (a folder's files carried into a new folder without copying them);
  // false when the file system has no hard links or `to` exists.
  virtual bool hard_link(const std::filesystem::path& from, const std::filesystem::path& to);
  virtual void remove(const std::filesystem::path& p) = 0;
  // Makes renames in the directory durable.
  virtual void sync_dir(const std::filesystem::path& dir) = 0;
  virtual std::vector<std::string> list_dir(const std::filesystem::path& dir) = 0;
  // Makes the folder and its missing parents (nothing when it exists).
  virtual void create_directories(const std::filesystem::path& dir);
  // Removes the folder and everything in it (nothing when it is absent).
  virtual void remove_all(const std::filesystem::path& dir);

  // --- the rest of what the engine takes from the machine: time, waiting and chance, so that a
  // test can run lock waits on its own clock and stamp its own dates (as LevelDB's Env) ---
  // A monotonic clock for waits and deadlines.
  virtual std::chrono::steady_clock::time_point now();
  virtual void sleep_for(std::chrono::microseconds d);
  // Lets other threads run (between the first quick tries of a lock held for microseconds).
  virtual void yield();
  // The local wall-clock time: the date stamped in table headers, backup folder names.
  virtual std::tm local_time();
  // Unpredictable bits: journal names, the index-lock slot a reader takes.
  virtual uint64_t random();
  // True when different files may be opened, written, synced and closed from several threads
  // at once, with exists(), list_dir(), random() and now() asked meanwhile (the machine's file
  // systems; a wrapper that keeps state says so only when it guards it). A commit then writes
  // and syncs its files side by side, and Table::open_all / close_all open and close tables
  // so: on a share each of those calls is a round trip.
  virtual bool parallel_files() { return false; }

  // The real file system of this machine.
  static FileSystem& os();
};

// Copies `from` to `to` (created or truncated) through `fs` and makes the copy durable: the
// file synced, its size read back, the folder synced. Backups made before a file is changed
// (repair, pack, schema upgrades) use it, so they survive a crash in the change that follows.
void copy_durably(FileSystem& fs, const std::filesystem::path& from, const std::filesystem::path& to);

// The same copy without the syncs: for snapshots that are read again at once (a backup's copy
// of the tables, zipped right after) and need no crash safety of their own.
void copy_file(FileSystem& fs, const std::filesystem::path& from, const std::filesystem::path& to);

// Makes `target` hold exactly `bytes`, or leaves it as it was: written under a temporary name
// beside it, synced, renamed over it, the folder synced. Markers, settings and small files of a
// data folder are written with it.
void write_durably(FileSystem& fs, const std::filesystem::path& target, std::string_view bytes);

// The whole content of a (small) file.
std::string read_whole(FileSystem& fs, const std::filesystem::path& p);

// The file from its start, up to `limit` bytes, into `out`; true when it is shorter than
// `limit`: then `out` holds all of it and its size is out.size(), known without asking (a read
// ends short only at the end of the file; on a share the size is a round trip of its own).
bool read_whole_within(File& f, size_t limit, std::vector<uint8_t>& out);

// The real file system's existence test and directory listing (names only; empty when the
// folder cannot be read), for FileSystem implementations.
bool path_exists(const std::filesystem::path& p);
std::vector<std::string> list_directory(const std::filesystem::path& dir);

// Opens `stem + ext` beside `table` at the spelling find_companion looks for first (the
// table's own case) without asking whether it exists: on a share that question is a round trip
// of its own. Nothing when the file is missing at that spelling; other failures throw.
std::optional<std::pair<std::filesystem::path, std::unique_ptr<File>>> open_companion_as_spelt(
    FileSystem& fs, const std::filesystem::path& table, const std::string& ext, OpenMode mode);
// Finds `stem + ext` beside `table` whatever the case of the extension and stem on disk
// (FIX.DBF with FIX.FPT, data.dbf with DATA.FPT). Returns nothing when absent.
std::optional<std::filesystem::path> find_companion(FileSystem& fs,
                                                    const std::filesystem::path& table,
                                                    const std::string& ext);

}  // namespace xbase
