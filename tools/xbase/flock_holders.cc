#include "flock_holders.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#ifdef __linux__
#include <sys/stat.h>
#include <sys/sysmacros.h>
#endif

namespace xbase::tool {

std::vector<FlockHolder> parse_flock_holders(const std::string& text, unsigned major,
                                             unsigned minor, uint64_t inode) {
  // "12: FLOCK  ADVISORY  WRITE 4711 fe:00:11059312 0 EOF"
  std::vector<FlockHolder> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream w(line);
    std::string id, kind, advisory, mode, dev;
    int64_t pid = -1;
    if (!(w >> id >> kind) || kind != "FLOCK") continue;  // also skips "-> FLOCK" waiters
    if (!(w >> advisory >> mode >> pid >> dev)) continue;
    unsigned ma = 0, mi = 0;
    unsigned long long ino = 0;
    if (std::sscanf(dev.c_str(), "%x:%x:%llu", &ma, &mi, &ino) != 3) continue;
    if (ma != major || mi != minor || ino != inode) continue;
    out.push_back({mode == "WRITE" ? LockMode::exclusive : LockMode::shared, pid});
  }
  return out;
}

std::vector<FlockHolder> flock_holders(const std::string& path) {
#ifdef __linux__
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  std::ifstream f("/proc/locks");
  std::stringstream text;
  text << f.rdbuf();
  return parse_flock_holders(text.str(), ::major(st.st_dev), ::minor(st.st_dev), uint64_t(st.st_ino));
#else
  (void)path;
  return {};
#endif
}

}  // namespace xbase::tool
