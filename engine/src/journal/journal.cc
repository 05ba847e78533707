#include "journal/journal.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <mutex>
#include <random>
#include <thread>

#include "util/coding.h"
#include "xbase/error.h"

namespace fs = std::filesystem;

namespace xbase::journal {

namespace {

// Header (64 bytes, little-endian):
//   0  "XBJOURN1"   8  format version (1)   12  state (0 empty, 1 committed)
//  16  body length  24  body CRC-32         28  files in the body
//  32  commit sequence of this journal      40  reserved (zero)
//  60  CRC-32 of bytes 0..59
// Body, per file: u16 name length, name (UTF-8, relative to the folder), u8 flags (1: cut to
// the size that follows), u64 size, u32 extent count, then per extent u64 offset, u32 length,
// the new bytes, u32 length of the old bytes (shorter when the file ended inside the range),
// the old bytes.
constexpr size_t kHeader = 64;
constexpr char kMagic[8] = {'X', 'B', 'J', 'O', 'U', 'R', 'N', '1'};
constexpr uint32_t kEmpty = 0, kCommitted = 1;

uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc = 0) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

struct Header {
  uint32_t state = kEmpty;
  uint64_t body_length = 0;
  uint32_t body_crc = 0;
  uint32_t files = 0;
  uint64_t sequence = 0;
};

std::array<uint8_t, kHeader> encode_header(const Header& h) {
  std::array<uint8_t, kHeader> b{};
  std::memcpy(b.data(), kMagic, 8);
  coding::put_le32(b.data() + 8, 1);
  coding::put_le32(b.data() + 12, h.state);
  coding::put_le64(b.data() + 16, h.body_length);
  coding::put_le32(b.data() + 24, h.body_crc);
  coding::put_le32(b.data() + 28, h.files);
  coding::put_le64(b.data() + 32, h.sequence);
  coding::put_le32(b.data() + 60, crc32(b.data(), 60));
  return b;
}

// The header, when the bytes are one (a torn or foreign file is not).
std::optional<Header> decode_header(const uint8_t* b, size_t n) {
  if (n < kHeader || std::memcmp(b, kMagic, 8) != 0 || coding::get_le32(b + 8) != 1 ||
      coding::get_le32(b + 60) != crc32(b, 60))
    return std::nullopt;
  Header h;
  h.state = coding::get_le32(b + 12);
  h.body_length = coding::get_le64(b + 16);
  h.body_crc = coding::get_le32(b + 24);
  h.files = coding::get_le32(b + 28);
  h.sequence = coding::get_le64(b + 32);
  return h;
}

std::optional<Header> read_header(File& f) {
  uint8_t b[kHeader];
  return decode_header(b, f.read_at(0, b, kHeader));
}

// A committed journal's body, checked whole; nothing when it is not one.
std::optional<std::vector<uint8_t>> committed_body(File& f) {
  auto h = read_header(f);
  if (!h || h->state != kCommitted || h->body_length > (uint64_t(1) << 40)) return std::nullopt;
  std::vector<uint8_t> body(size_t(h->body_length));
  if (f.read_at(kHeader, body.data(), body.size()) != body.size() ||
      crc32(body.data(), body.size()) != h->body_crc)
    return std::nullopt;
  return body;
}

[[noreturn]] void bad_body(const fs::path& p, size_t at) {
  throw Error(Errc::corrupt, {p.string(), kHeader + at, {}, {}},
              "journal body does not parse although its checksum matches");
}

struct ParsedExtent {
  uint64_t off;
  const uint8_t* after;
  uint32_t after_len;
  const uint8_t* before;
  uint32_t before_len;
};
struct ParsedFile {
  std::string name;
  std::optional<uint64_t> cut;
  std::vector<ParsedExtent> extents;
};

std::vector<ParsedFile> parse_body(const fs::path& journal, const std::vector<uint8_t>& body) {
  std::vector<ParsedFile> out;
  size_t at = 0;
  auto need = [&](size_t n) {
    if (body.size() - at < n) bad_body(journal, at);
  };
  while (at < body.size()) {
    need(2);
    size_t name_len = coding::get_le16(body.data() + at);
    at += 2;
    need(name_len + 1 + 8 + 4);
    std::string name(reinterpret_cast<const char*>(body.data() + at), name_len);
    at += name_len;
    uint8_t flags = body[at];
    uint64_t cut = coding::get_le64(body.data() + at + 1);
    uint32_t extents = coding::get_le32(body.data() + at + 9);
    at += 13;
    if (name.empty() || name.find('/') != std::string::npos || name.find('\\') != std::string::npos)
      bad_body(journal, at);
    ParsedFile pf;
    pf.name = std::move(name);
    if (flags & 1) pf.cut = cut;
    for (uint32_t i = 0; i < extents; ++i) {
      ParsedExtent e;
      need(12);
      e.off = coding::get_le64(body.data() + at);
      e.after_len = coding::get_le32(body.data() + at + 8);
      at += 12;
      need(e.after_len);
      e.after = body.data() + at;
      at += e.after_len;
      need(4);
      e.before_len = coding::get_le32(body.data() + at);
      at += 4;
      need(e.before_len);
      e.before = body.data() + at;
      at += e.before_len;
      pf.extents.push_back(e);
    }
    out.push_back(std::move(pf));
  }
  return out;
}

// Whether the commit can be completed: every byte of every range still holds its old value
// or its new one (any mix: the owner may have died in the middle of a write), and no range
// lost bytes it had. Anything else means another program wrote there since, and writing our
// bytes over its change would lose it.
bool replayable(FileSystem& fs, const fs::path& dir, const std::vector<ParsedFile>& files) {
  std::vector<uint8_t> cur;
  for (const auto& pf : files) {
    if (pf.cut) continue;  // (cut files are not journaled inside transactions in practice)
    auto f = fs.open(dir / pf.name, OpenMode::read_only);
    for (const auto& e : pf.extents) {
      cur.resize(e.after_len);
      size_t got = f->read_at(e.off, cur.data(), cur.size());
      if (got < std::min<size_t>(e.before_len, e.after_len)) return false;  // cut by someone
      for (size_t i = 0; i < got; ++i)
        if (cur[i] != e.after[i] && !(i < e.before_len && cur[i] == e.before[i])) return false;
    }
  }
  return true;
}

// Writes a committed body's after-images into the files again (each file cut first when the
// transaction cut it) and syncs them. Writing the same bytes twice changes nothing, so this
// may run any number of times.
void replay(FileSystem& fs, const fs::path& dir, const std::vector<ParsedFile>& files) {
  for (const auto& pf : files) {
    auto f = fs.open(dir / pf.name, OpenMode::read_write);
    if (pf.cut) f->truncate(*pf.cut);
    for (const auto& e : pf.extents) f->write_at(e.off, e.after, e.after_len);
    f->sync();
  }
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

struct Registry {
  std::mutex mu;
  std::map<std::pair<FileSystem*, std::string>, std::weak_ptr<Journal>> open;
};
Registry& registry() {
  static Registry r;
  return r;
}

std::string random_id() {
  std::random_device rd;
  uint64_t v = (uint64_t(rd()) << 32) ^ rd();
  return fmt::format("{:016x}", v);
}

// Recovers one journal found in the folder. Returns true when a live process owns it and is
// writing a committed change into the tables (the caller waits for that to finish).
bool settle_one(FileSystem& fs, const fs::path& dir, const fs::path& p, RecoveryReport& report) {
  std::unique_ptr<File> f;
  bool writable = true;
  try {
    f = fs.open(p, OpenMode::read_write);
  } catch (const Error&) {
    writable = false;
    try {
      f = fs.open(p, OpenMode::read_only);
    } catch (const Error&) {
      return false;  // gone meanwhile (its owner finished)
    }
  }
  if (!writable || !f->lock(kOwnerLock, 1, LockMode::exclusive, false)) {
    // A live owner writing a commit into the tables: its journal holds a whole commit (a
    // header alone, from a write that failed, does not count).
    bool committed = committed_body(*f).has_value();
    if (committed && !writable && !f->probe(kOwnerLock, 1))
      throw Error(Errc::io, {p.string(), {}, {}, {}},
                  "an unfinished commit of a workstation that stopped must be completed, but "
                  "this journal cannot be opened for writing");
    return committed;
  }
  // Its owner is gone: the lock is ours now, and nobody else recovers it meanwhile.
  if (auto body = committed_body(*f)) {
    auto files = parse_body(p, *body);
    if (!replayable(fs, dir, files)) {
      // Kept for the administrator, out of every later settle's way.
      fs::path stale = p;
      stale += ".stale";
      fs.rename(p, stale);
      report.stale.push_back(stale.string());
      return false;
    }
    replay(fs, dir, files);
    Header h;
    h.state = kEmpty;
    auto b = encode_header(h);
    f->write_at(0, b.data(), b.size());
    f->sync();
    ++report.replayed;
  } else {
    ++report.discarded;  // no complete commit: the tables were never written
  }
  // Removed under the lock (a journal's name is never reused, so nobody can be creating it).
  try {
    fs.remove(p);
  } catch (const Error&) {
    f.reset();
    try {
      fs.remove(p);
    } catch (const Error&) {
      // Empty now; whoever comes next removes it.
    }
  }
  return false;
}

// A journal whose creator died before giving it its name (it is never committed): removed
// when nobody holds its lock. A creator that loses the race starts again under a new name.
void remove_stale_new(FileSystem& fs, const fs::path& p) {
  try {
    auto f = fs.open(p, OpenMode::read_write);
    if (!f->lock(kOwnerLock, 1, LockMode::exclusive, false)) return;
    fs.remove(p);  // under the lock: its creator, if alive, fails to lock it and starts over
  } catch (const Error&) {
    // Gone meanwhile, or not ours to remove (read-only folder): harmless either way.
  }
}

}  // namespace

fs::path folder_of(const fs::path& table) {
  fs::path d = table.parent_path();
  return d.empty() ? fs::path(".") : d;
}

std::shared_ptr<Journal> Journal::for_folder(FileSystem& fs, const fs::path& dir) {
  auto& reg = registry();
  std::lock_guard<std::mutex> g(reg.mu);
  auto key = std::make_pair(&fs, fs::absolute(dir).lexically_normal().string());
  if (auto j = reg.open[key].lock(); j && !j->abandoned()) return j;
  for (int attempt = 0;; ++attempt) {
    // Created under a name recovery ignores, locked, then renamed: a journal under its real
    // name always has a live owner holding its lock, or none.
    const std::string name = "_xbase_" + random_id() + kExtension;
    const fs::path tmp = dir / (name + ".new"), final_path = dir / name;
    try {
      auto f = fs.open(tmp, OpenMode::create);
      if (!f->lock(kOwnerLock, 1, LockMode::exclusive, false))
        throw Error(Errc::io, {tmp.string(), kOwnerLock, {}, {}}, "cannot lock a new journal");
      fs.rename(tmp, final_path);
      fs.sync_dir(dir);
      // Written through a descriptor opened by the real name (so that errors name it); the
      // first one keeps holding the lock.
      auto io = fs.open(final_path, OpenMode::read_write);
      std::shared_ptr<Journal> j(new Journal(fs, dir, final_path, std::move(io), std::move(f)));
      reg.open[key] = j;
      return j;
    } catch (const Error&) {
      try {
        if (fs.exists(tmp)) fs.remove(tmp);
      } catch (const Error&) {
      }
      if (attempt == 2) throw;
    }
  }
}

Journal::~Journal() {
  if (!file_) return;
  // A journal that still holds a commit (its completion failed) is left for recovery.
  bool committed = false;
  try {
    committed = committed_body(*file_).has_value();
  } catch (...) {
    committed = true;
  }
  file_.reset();
  if (committed) return;
  // Removed while the lock is still held, so that nobody takes the name for a dead journal
  // meanwhile (where an open file cannot be removed, after closing it).
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      fs_.remove(path_);
      break;
    } catch (...) {
      // Left behind empty (or committed, after a failure): the next settle() deals with it.
    }
    owner_.reset();
  }
}

void Journal::write(const std::vector<FileChange>& changes) {
  if (!file_)
    throw Error(Errc::io, {path_.string(), {}, {}, {}},
                "the journal was given up after an earlier failure");
  std::vector<uint8_t> buf(kHeader);
  for (const auto& c : changes) {
    uint8_t b[13];
    if (c.name.size() > UINT16_MAX)
      throw Error(Errc::usage, {path_.string(), {}, {}, {}}, "file name too long for the journal");
    const size_t n = c.name.size();
    coding::put_le16(b, uint16_t(n));
    buf.insert(buf.end(), b, b + 2);
    buf.insert(buf.end(), c.name.begin(), c.name.begin() + long(n));
    b[0] = c.truncate_to ? 1 : 0;
    coding::put_le64(b + 1, c.truncate_to.value_or(0));
    coding::put_le32(b + 9, uint32_t(c.extents ? c.extents->size() : 0));
    buf.insert(buf.end(), b, b + 13);
    if (!c.extents) continue;
    for (const auto& [off, v] : *c.extents) {
      if (v.size() > UINT32_MAX)
        throw Error(Errc::overflow, {path_.string(), {}, {}, {}}, "a transaction wrote more than 4 GiB at once");
      coding::put_le64(b, off);
      coding::put_le32(b + 8, uint32_t(v.size()));
      buf.insert(buf.end(), b, b + 12);
      buf.insert(buf.end(), v.begin(), v.end());
      auto old = c.before.find(off);
      uint32_t n = old == c.before.end() ? 0 : uint32_t(old->second.size());
      coding::put_le32(b, n);
      buf.insert(buf.end(), b, b + 4);
      if (n) buf.insert(buf.end(), old->second.begin(), old->second.end());
    }
  }
  Header h;
  h.state = kCommitted;
  h.body_length = buf.size() - kHeader;
  h.body_crc = crc32(buf.data() + kHeader, buf.size() - kHeader);
  h.files = uint32_t(changes.size());
  h.sequence = ++sequence_;
  auto hb = encode_header(h);
  std::memcpy(buf.data(), hb.data(), kHeader);
  file_->write_at(0, buf.data(), buf.size());
  file_->sync();
}

void Journal::clear() {
  Header h;
  h.sequence = sequence_;
  auto b = encode_header(h);
  file_->write_at(0, b.data(), b.size());
  // Synced before the locks go: once another process may change the same bytes, no crash
  // may bring this commit back to be written over its change.
  file_->sync();
}

bool Journal::complete() {
  try {
    auto body = committed_body(*file_);
    if (!body) return false;  // unreadable: it must stay for recovery, never be cleared
    replay(fs_, dir_, parse_body(path_, *body));
    clear();
    return true;
  } catch (const Error&) {
    return false;
  }
}

bool Journal::undo() {
  try {
    clear();
    return true;
  } catch (const Error&) {
    return false;
  }
}

void Journal::abandon() {
  file_.reset();
  owner_.reset();
}

RecoveryReport settle(FileSystem& fs, const fs::path& dir, const fs::path* own,
                      std::chrono::milliseconds wait) {
  RecoveryReport report;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  for (int round = 0;; ++round) {
    std::optional<fs::path> busy;
    for (const std::string& name : fs.list_dir(dir)) {
      if (ends_with(name, std::string(kExtension) + ".new")) {
        remove_stale_new(fs, dir / name);
        continue;
      }
      if (!ends_with(name, kExtension)) continue;
      fs::path p = dir / name;
      if (own && p == *own) continue;
      if (settle_one(fs, dir, p, report)) busy = p;
    }
    if (!busy) return report;
    if (std::chrono::steady_clock::now() >= deadline)
      throw Error(Errc::lock_timeout, {busy->string(), {}, {}, {}},
                  "another workstation is still writing a committed change into the tables");
    if (round < 100)
      std::this_thread::yield();
    else
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace xbase::journal
