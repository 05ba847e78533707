#include "workload.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace bench {

const std::vector<std::string> kOps = {"append",      "index-name",     "index-id",    "append-indexed",
                                       "seek-id",     "seek-name",      "scan-filter", "update-indexed",
                                       "lock-cycle",  "shared-append-2p"};

std::vector<std::string> modes_of(const std::string& op) {
  // lock-cycle takes no locks in exclusive use; shared-append-2p is shared by nature.
  // "batch": the seeks of shared use in read batches of kBatchSeeks (a list's page, a report's
  // lookups): ours under xbase::ReadBatch, SQLite's in one read transaction each; the scan of
  // shared use with OpenOptions::batched_scans (SQLite's as in shared use: one statement).
  if (op == "seek-id" || op == "seek-name" || op == "scan-filter") return {"shared", "exclusive", "batch"};
  if (op == "update-indexed") return {"shared", "exclusive"};
  if (op == "lock-cycle" || op == "shared-append-2p") return {"shared"};
  return {"exclusive"};
}

namespace {
// v in decimal, zero-padded to `width` digits, after `prefix` (the generators run once per
// record and per seek, so they avoid a formatting library's overhead).
std::string digits(const char* prefix, uint64_t v, int width) {
  char buf[48];
  size_t at = std::strlen(prefix);
  std::memcpy(buf, prefix, at);
  char rev[24];
  int k = 0;
  do {
    rev[k++] = char('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = k; i < width; ++i) buf[at++] = '0';
  while (k) buf[at++] = rev[--k];
  return std::string(buf, at);
}
}  // namespace

std::string name_of(uint32_t i, uint32_t n) { return digits("CUST", uint64_t(i) * 7919 % n, 10); }
std::string city_of(uint32_t i) { return digits("CITY", uint64_t(i) * 31 % 50, 2); }
std::string amount_of(uint32_t i) {
  std::string s = digits("", (i % 100000) / 100, 1);
  const uint32_t cents = (i % 100000) % 100;
  s += '.';
  s += char('0' + cents / 10);
  s += char('0' + cents % 10);
  return s;
}
int32_t due_day_of(uint32_t i) { return int32_t(i % 2000); }
std::string note_of(uint32_t i) { return i % 10 == 0 ? digits("note ", i, 1) : std::string(); }
uint32_t seek_id_key(uint32_t k, uint32_t n) { return uint32_t(uint64_t(k) * 104729 % n) + 1; }
std::string seek_name_key(uint32_t k, uint32_t n) { return digits("CUST", uint64_t(k) * 7919 * 13 % n, 10); }
uint32_t update_record(uint32_t k, uint32_t n) { return uint32_t(uint64_t(k) * 7919 % n) + 1; }

void in_processes(int procs, const std::function<void(int)>& fn) {
  std::vector<pid_t> kids;
  for (int p = 0; p < procs; ++p) {
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      int rc = 0;
      try {
        fn(p);
      } catch (const std::exception& e) {
        fmt::print(stderr, "process {}: {}\n", p, e.what());
        rc = 1;
      }
      ::_exit(rc);
    }
    kids.push_back(pid);
  }
  bool ok = true;
  for (pid_t k : kids) {
    int st = 0;
    ::waitpid(k, &st, 0);
    ok = ok && WIFEXITED(st) && WEXITSTATUS(st) == 0;
  }
  if (!ok) throw std::runtime_error("a process of the operation failed");
}

}  // namespace bench
