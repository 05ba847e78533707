// Multi-user locking: where each lock lies (the scheme other xBase programs on the same share
// use) and how long to wait for one. Locks are byte-range locks far beyond the data
// (XBASE_REFERENCE.md section 6); a different scheme from the other programs' gives no mutual
// exclusion at all, so the scheme is chosen per open.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace xbase {

enum class LockScheme {
  vfp,        // Visual FoxPro (and FoxPro 2.x, Clipper 5.2 DBFCDX): the default
  clipper,    // Clipper 5.2 DBFNTX / Harbour default: 1,000,000,000 + recno
  harbour64,  // Harbour's 64-bit scheme: 0x7F00000000000000 + recno
};

const char* lock_scheme_name(LockScheme s);
std::optional<LockScheme> parse_lock_scheme(const std::string& name);

// How long to wait for a lock another process holds.
struct LockWait {
  enum class Kind { immediate, retries, timeout } kind = Kind::timeout;
  int retries = 0;                                   // for retries: attempts after the first
  std::chrono::milliseconds interval{100};           // for retries: pause between attempts
  std::chrono::milliseconds timeout{10000};          // for timeout

  static LockWait immediate() { return {Kind::immediate, 0, {}, {}}; }
  static LockWait retry(int n, std::chrono::milliseconds every) { return {Kind::retries, n, every, {}}; }
  static LockWait up_to(std::chrono::milliseconds t) { return {Kind::timeout, 0, {}, t}; }
};

enum class LockKind { record, header, file, index, memo, open };
const char* lock_kind_name(LockKind k);

struct LockRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  bool contains(uint64_t off) const { return off >= offset && off - offset < length; }
};

// The lock offsets of one table under one scheme (reference 6.2, 6.5, 6.6, 6.7).
class LockLayout {
 public:
  // `structural_cdx`: the VFP scheme locks backwards from 0x7FFFFFFE when the table has a
  // structural index, forwards from 0x40000000 + the record's file offset when it has none.
  LockLayout(LockScheme scheme, bool structural_cdx, uint32_t header_len, uint32_t record_len);

  LockScheme scheme() const { return scheme_; }
  LockRange record(uint32_t recno) const;  // in the DBF
  LockRange header() const;                // in the DBF: appends, header rewrites
  LockRange file() const;                  // in the DBF: FLOCK()
  // In the CDX: readers lock `index_read(slot)` shared, writers `index_write()` exclusive.
  // Pooled schemes give each reader its own byte of the pool (slot picks it).
  LockRange index_read(uint32_t slot) const;
  LockRange index_write() const;
  static LockRange memo() { return {0, 1}; }  // in the FPT/DBT (Harbour's FPT_LOCKPOS)
  // Shared/exclusive use of the table, as Harbour's share-lock emulation (HB_SHARELOCK_POS):
  // shared for a shared open, exclusive for an exclusive one, in the DBF.
  static LockRange open() { return {0x7FFFFFFF, 1}; }

  // What a lock found on the table's DBF is, and the record for a record lock (0 otherwise).
  struct Meaning {
    LockKind kind;
    uint32_t record = 0;
  };
  std::optional<Meaning> classify_dbf(uint64_t off, uint64_t len) const;

 private:
  LockScheme scheme_;
  bool backward_ = false;  // VFP with a structural index
  uint64_t base_ = 0;
  uint32_t header_len_, record_len_;
};

}  // namespace xbase
