// The floor: what the hardware allows for the same work, with plain calls: the same bytes
// written and read in large blocks for the bulk operations; one pread or pwrite of the record
// for each seek, update and shared append (the least a program can do that must see, and
// show, every change of another process at once); a bare OFD lock/unlock loop.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include <fmt/format.h>

#include "workload.h"

namespace bench {

namespace {
// The CUST record: deletion flag + ID I + NAME C(40) + CITY C(30) + AMOUNT N(12,2) + DUE D +
// PAID L + NOTE M(4).
constexpr size_t kRecordLength = 1 + 4 + 40 + 30 + 12 + 8 + 1 + 4;

// One pread of the record numbered record_of(k) (1-based) for k = 1..count.
template <typename RecordOf>
void read_records(const Config& c, uint32_t count, RecordOf record_of) {
  int fd = ::open((c.dir / "floor.bin").c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error("open floor.bin");
  char rec[kRecordLength];
  for (uint32_t k = 1; k <= count; ++k) {
    off_t at = off_t(uint64_t(record_of(k) - 1) * kRecordLength);
    if (::pread(fd, rec, sizeof rec, at) != ssize_t(sizeof rec)) throw std::runtime_error("pread");
  }
  ::close(fd);
}
}  // namespace

Engine floor_engine() {
  Engine e;
  e.name = "floor";
  auto& m = e.ops;
  m["append"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    std::vector<char> buf(4 << 20, 'x');
    uint64_t total = uint64_t(c.n) * kRecordLength, off = 0;
    while (off < total) {
      size_t k = size_t(std::min<uint64_t>(buf.size(), total - off));
      if (::pwrite(fd, buf.data(), k, off_t(off)) != ssize_t(k)) throw std::runtime_error("pwrite");
      off += k;
    }
    ::close(fd);
    return std::string();
  };
  m["scan-filter"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDONLY);
    std::vector<char> buf(64 * 1024);
    uint64_t total = uint64_t(c.n) * kRecordLength, off = 0;
    while (off < total) {
      ssize_t k = ::pread(fd, buf.data(), buf.size(), off_t(off));
      if (k <= 0) break;
      off += uint64_t(k);
    }
    ::close(fd);
    return std::string();
  };
  m["seek-id"] = [](const Config& c, const std::string&) {
    read_records(c, kSeeks, [&](uint32_t k) { return seek_id_key(k, c.n); });  // ID i is record i
    return std::string();
  };
  m["seek-name"] = [](const Config& c, const std::string&) {
    // NAME of record i is CUST + (i * 7919 mod N), so the key of seek k is on record 13 k mod N.
    read_records(c, kSeeks, [&](uint32_t k) { return uint32_t(uint64_t(k) * 13 % c.n) + 1; });
    return std::string();
  };
  m["update-indexed"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDWR);
    if (fd < 0) throw std::runtime_error("open floor.bin");
    char name[40];
    std::fill(std::begin(name), std::end(name), 'U');
    for (uint32_t k = 1; k <= kUpdates; ++k) {
      off_t at = off_t(uint64_t(update_record(k, c.n) - 1) * kRecordLength + 5);
      if (::pwrite(fd, name, sizeof name, at) != ssize_t(sizeof name)) throw std::runtime_error("pwrite");
    }
    ::close(fd);
    return std::string();
  };
  m["shared-append-2p"] = [](const Config& c, const std::string&) {
    // Two processes, one write of one record at a time at the end of the file.
    in_processes(2, [&](int) {
      int fd = ::open((c.dir / "floor.bin").c_str(), O_WRONLY | O_APPEND);
      if (fd < 0) throw std::runtime_error("open floor.bin");
      char rec[kRecordLength];
      std::fill(std::begin(rec), std::end(rec), 'a');
      for (uint32_t k = 0; k < kAppendsPerProcess; ++k)
        if (::write(fd, rec, sizeof rec) != ssize_t(sizeof rec)) throw std::runtime_error("write");
      ::close(fd);
    });
    return std::string();
  };
  m["lock-cycle"] = [](const Config& c, const std::string&) {
    int fd = ::open((c.dir / "floor.bin").c_str(), O_RDWR | O_CREAT, 0644);
    struct flock fl {};
    fl.l_whence = SEEK_SET;
    fl.l_len = 1;
    for (uint32_t k = 1; k <= kUpdates; ++k) {
      fl.l_start = off_t(0x7FFFFFFE - update_record(k, c.n));
      fl.l_type = F_WRLCK;
      if (::fcntl(fd, F_OFD_SETLK, &fl) != 0) throw std::runtime_error("F_OFD_SETLK");
      fl.l_type = F_UNLCK;
      ::fcntl(fd, F_OFD_SETLK, &fl);
    }
    ::close(fd);
    return std::string();
  };
  e.prepare = [](const Config& c, const std::string& op, int) {
    // Every operation but these two reads or changes what append wrote: write it afresh
    // before each run, so that the shared appends of one run do not lengthen the next.
    if (op != "append" && op != "lock-cycle") floor_engine().ops["append"](c, "-");
  };
  e.check = [](const Config& c, const std::string& op) {
    // The two processes' appends all landed, none over another.
    if (op != "shared-append-2p") return;
    const uint64_t want = (uint64_t(c.n) + 2 * kAppendsPerProcess) * kRecordLength;
    const uint64_t got = std::filesystem::file_size(c.dir / "floor.bin");
    if (got != want) throw std::runtime_error(fmt::format("floor.bin holds {} bytes, not {}", got, want));
  };
  return e;
}

}  // namespace bench
