// The floor: what the hardware allows for the same work, with plain calls (the same bytes
// written and read in large blocks; a bare OFD lock/unlock loop).
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "workload.h"

namespace bench {

namespace {
// The CUST record: deletion flag + ID I + NAME C(40) + CITY C(30) + AMOUNT N(12,2) + DUE D +
// PAID L + NOTE M(4).
constexpr size_t kRecordLength = 1 + 4 + 40 + 30 + 12 + 8 + 1 + 4;
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
    // scan-filter reads what append wrote.
    if (op == "scan-filter" && !std::filesystem::exists(c.dir / "floor.bin")) floor_engine().ops["append"](c, "-");
  };
  e.check = [](const Config&, const std::string&) {};
  return e;
}

}  // namespace bench
