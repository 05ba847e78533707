// xbase locks T.dbf [--scheme vfp|clipper|harbour64] [--json]: the byte-range locks anyone
// holds on the table's files (DBF, structural CDX, memo), found with F_OFD_GETLK probes, and
// what each one means under the lock scheme, and the flock() holders /proc/locks lists (Harbour
// says shared or exclusive use that way). Locks SMB clients hold through a Samba server on
// this machine show up too (Samba turns them into open file description locks).
//
// Reads the few header bytes it needs without opening the table, so that it also works while
// another program has the table for exclusive use.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "common.h"
#include "flock_holders.h"
#include "json.h"
#include "xbase/file.h"
#include "xbase/lock.h"

namespace xbase::tool {

namespace {

struct Found {
  std::string file;
  LockInfo lock;
  std::string kind;
  uint32_t record = 0;
};

// Every lock on [start, end): a probe reports one conflicting lock, then the ranges on either
// side of it are probed in turn.
void probe_all(File& f, uint64_t start, uint64_t end, std::vector<LockInfo>& out) {
  if (start >= end || out.size() >= 100000) return;
  auto l = f.probe(start, end - start);
  if (!l) return;
  out.push_back(*l);
  uint64_t ls = std::max(l->offset, start);
  uint64_t le = l->length == 0 ? end : std::min(end, l->offset + l->length);
  probe_all(f, start, ls, out);
  probe_all(f, le, end, out);
}

std::vector<LockInfo> locks_of(const std::string& path) {
  auto f = FileSystem::os().open(xbase::path_from_utf8(path), OpenMode::read_only);
  std::vector<LockInfo> out;
  probe_all(*f, 0, uint64_t(INT64_MAX), out);
  std::sort(out.begin(), out.end(), [](const LockInfo& a, const LockInfo& b) { return a.offset < b.offset; });
  return out;
}

bool is(const LockInfo& l, LockRange r) { return l.offset == r.offset && l.length == r.length; }

}  // namespace

int cmd_locks(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"scheme"}, {"json"});
  if (a.positional.size() != 1) throw UsageError("usage: xbase locks T.dbf [--scheme vfp|clipper|harbour64] [--json]");
  const std::string path = a.positional[0];
  auto scheme = parse_lock_scheme(a.get("scheme", "vfp"));
  if (!scheme) throw UsageError("--scheme must be vfp, clipper or harbour64");

  uint8_t h[32] = {};
  {
    auto f = FileSystem::os().open(xbase::path_from_utf8(path), OpenMode::read_only);
    if (f->read_at(0, h, sizeof h) != sizeof h)
      throw Error(Errc::format, {path, 0, {}, {}}, "too short for a DBF header");
  }
  uint32_t header_len = uint32_t(h[8]) | uint32_t(h[9]) << 8;
  uint32_t record_len = uint32_t(h[10]) | uint32_t(h[11]) << 8;
  bool structural = h[28] & 0x01;
  LockLayout layout(*scheme, structural, header_len, record_len);

  std::vector<Found> found;
  for (const auto& l : locks_of(path)) {
    Found f{path, l, "other", 0};
    if (auto m = layout.classify_dbf(l.offset, l.length)) {
      f.kind = lock_kind_name(m->kind);
      f.record = m->record;
    }
    found.push_back(f);
  }
  auto add_flocks = [&](const std::string& file) {
    for (const auto& h : flock_holders(file))
      found.push_back({file, LockInfo{0, 0, h.mode, h.pid}, "flock", 0});
  };
  add_flocks(path);
  for (const char* ext : {".cdx", ".fpt", ".dbt"}) {
    auto p = find_companion(FileSystem::os(), xbase::path_from_utf8(path), ext);
    if (!p) continue;
    add_flocks(xbase::path_utf8(*p));
    bool cdx = std::string(ext) == ".cdx";
    for (const auto& l : locks_of(xbase::path_utf8(*p))) {
      Found f{xbase::path_utf8(*p), l, "other", 0};
      // A writer's whole range, or one reader's byte of it (the pool, or the single byte).
      LockRange w = layout.index_write();
      if (cdx && w.contains(l.offset) && (l.length == 1 || is(l, w)))
        f.kind = "index";
      else if (!cdx && is(l, LockLayout::memo()))
        f.kind = "memo";
      found.push_back(f);
    }
  }

  if (a.has("json")) {
    std::string out = "[";
    for (size_t i = 0; i < found.size(); ++i) {
      const auto& f = found[i];
      out += i ? ",\n " : "";
      out += "{\"file\": ";
      json::append_string(out, f.file);
      out += fmt::format(", \"kind\": \"{}\", \"record\": {}, \"mode\": \"{}\", \"offset\": {}, "
                         "\"length\": {}, \"pid\": {}}}",
                         f.kind, f.record ? std::to_string(f.record) : "null",
                         f.lock.mode == LockMode::shared ? "shared" : "exclusive", f.lock.offset,
                         f.lock.length, f.lock.pid);
    }
    out += "]\n";
    std::cout << out;
    return kOk;
  }
  std::cout << fmt::format("locks on {} (scheme {}{}):\n", path, lock_scheme_name(*scheme),
                           *scheme == LockScheme::vfp ? structural ? ", structural index" : ", no structural index" : "");
  if (found.empty()) std::cout << "  none\n";
  for (const auto& f : found) {
    std::string what = f.kind == "record" ? fmt::format("record {}", f.record) : f.kind;
    if (f.kind == "open")
      what = f.lock.mode == LockMode::shared ? "open (shared use)" : "open (exclusive use)";
    if (f.kind == "flock")
      what = f.lock.mode == LockMode::shared ? "flock (shared use)" : "flock (exclusive use)";
    std::cout << fmt::format("  {:<28} {:<9} {}  {}  {}\n", what,
                             f.lock.mode == LockMode::shared ? "shared" : "exclusive",
                             f.kind == "flock" ? std::string("whole file")
                                               : fmt::format("offset 0x{:X} length {}", f.lock.offset, f.lock.length),
                             xbase::path_utf8(xbase::path_from_utf8(f.file).filename()),
                             f.lock.pid > 0 ? fmt::format("pid {}", f.lock.pid) : "");
  }
  return kOk;
}

}  // namespace xbase::tool
