#include "xbase/check.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_set>

#include "cdx/cdx_file.h"
#include "io/path_text.h"
#include "cdx/tree.h"
#include "dbf/field_codec.h"
#include "dbf/header.h"
#include "lock/acquire.h"
#include "memo/memo_file.h"
#include "xbase/table.h"

namespace fs = std::filesystem;

namespace xbase {

size_t CheckResult::problems() const {
  return size_t(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
    return f.severity == Finding::Severity::problem;
  }));
}

using Severity = Finding::Severity;

std::optional<Finding> finding_for(const Warning& w) {
  auto f = [&](Severity s, const char* area, std::string repair = {}) {
    return Finding{s, area, w.where, {}, w.message, std::move(repair)};
  };
  // No default: a new code is a compiler warning here until it is sorted.
  switch (w.code) {
    case WarnCode::tag_unmaintainable: return std::nullopt;  // reported per tag
    case WarnCode::count_too_high:
    case WarnCode::count_too_low:
      return f(Severity::problem, "header", "sets the header's record count to what the file holds");
    case WarnCode::partial_record: {
      Finding r = f(Severity::problem, "header", "cuts the partial record off (kept in the backup)");
      r.message += " (a record cut short)";
      return r;
    }
    case WarnCode::no_eof_marker: return f(Severity::note, "header", "writes the end-of-file marker");
    case WarnCode::record_length_short:
      // Other programs step through the records with the header's length and read garbage.
      return f(Severity::problem, "header", "sets the header's record length to what the fields need");
    case WarnCode::memo_missing: return f(Severity::problem, "memo");
    case WarnCode::structural_index_missing:
      return f(Severity::problem, "index",
               "rebuilds it from --tags-from/--tags, otherwise clears the structural-index flag");
    case WarnCode::index_unusable:
      return f(Severity::problem, "index", "salvages the tag definitions it can read and rebuilds the index");
    case WarnCode::journal_stale: return f(Severity::problem, "journal");
    // The table itself is sound; what it lacks is its database's names (tags that need them
    // are reported per tag).
    case WarnCode::database_missing:
    case WarnCode::database_unreadable:
    case WarnCode::database_table_unknown:
      return f(Severity::note, "database");
    case WarnCode::database_code_not_run: return std::nullopt;  // writes only
    case WarnCode::memo_next_free_bad:
      return f(Severity::problem, "memo", "sets the memo file's next free block");
    case WarnCode::memo_unreadable:
      // Shorter than its header (an empty file): every memo write fails, so programs that
      // keep memos (the invoicing numbers) stop working.
      return f(Severity::problem, "memo",
               "writes a new empty memo file (the old one is kept in the backup) and clears the "
               "pointers into it");
    case WarnCode::descriptors_end_with_zero:
    case WarnCode::no_descriptor_terminator:
    case WarnCode::unknown_field_type:
    case WarnCode::record_length_long:
    case WarnCode::nullflags_missing:
    case WarnCode::bytes_after_eof_marker:
    case WarnCode::codepage_unsupported:
    case WarnCode::memo_block_size_zero:
    case WarnCode::memo_block_size_invalid:
    case WarnCode::value_unreadable:
      break;
  }
  return f(Severity::note, "header");
}

namespace {


// Collects findings, at most `limit` of each area (and tag); the rest are counted.
class Collector {
 public:
  Collector(CheckResult& r, size_t limit) : r_(r), limit_(limit) {}
  // The finding as listed; nullptr when over the limit (only counted).
  Finding* add(Severity s, std::string area, Location where, std::string message,
               std::string repair = {}, std::string tag = {}) {
    auto& n = counts_[{area + "/" + tag, s}];
    if (++n > limit_) return nullptr;
    r_.findings.push_back({s, std::move(area), std::move(where), std::move(tag), std::move(message),
                           std::move(repair)});
    return &r_.findings.back();
  }
  void add(Finding f) { add(f.severity, std::move(f.area), std::move(f.where), std::move(f.message), std::move(f.repair), std::move(f.tag)); }
  void close() {
    for (const auto& [key, n] : counts_)
      if (n > limit_)
        r_.findings.push_back({key.second, key.first.substr(0, key.first.find('/')), {}, key.first.substr(key.first.find('/') + 1),
                               fmt::format("{} more findings of this kind not listed", n - limit_), {}});
  }

 private:
  CheckResult& r_;
  size_t limit_;
  std::map<std::pair<std::string, Severity>, size_t> counts_;
};

struct MemoUse {
  uint64_t first, blocks;
  uint32_t recno;
  std::string field;
};

void check_memo_layout(Collector& c, std::vector<MemoUse>& uses, const std::string& memo_path,
                       uint32_t bs) {
  std::sort(uses.begin(), uses.end(), [](const MemoUse& a, const MemoUse& b) {
    return a.first != b.first ? a.first < b.first : a.recno < b.recno;
  });
  // Each memo against the one reaching furthest of those before it, so that one long memo
  // over several later ones is reported for each of them.
  size_t reach = 0;
  for (size_t i = 1; i < uses.size(); ++i) {
    const MemoUse& prev = uses[i - 1];
    const MemoUse& b = uses[i];
    if (prev.first + prev.blocks > uses[reach].first + uses[reach].blocks) reach = i - 1;
    const MemoUse& o = uses[reach];
    Location where{memo_path, b.first * bs, b.recno, b.field};
    if (prev.first == b.first) {
      if (Finding* f = c.add(Severity::problem, "memo", where,
                             fmt::format("record {} field {} and record {} field {} share memo block {}",
                                         prev.recno, prev.field, b.recno, b.field, b.first),
                             "gives the later record its own copy of the memo"))
        f->shared_memo = true;
    } else if (b.first < o.first + o.blocks) {
      if (Finding* f = c.add(Severity::problem, "memo", where,
                             fmt::format("memo at block {} (record {} field {}) overlaps the memo at "
                                         "block {} (record {} field {}, {} blocks)",
                                         b.first, b.recno, b.field, o.first, o.recno, o.field, o.blocks),
                             "gives the later record its own copy of its memo as it reads now"))
        f->shared_memo = true;
    }
  }
}

// Walks a tag's tree from its root: every page decodes, interior keys are the last keys of
// their children, leaves are at one depth and chained left to right in key order.
class TreeCheck {
 public:
  TreeCheck(Collector& c, cdx::CdxFile& f, const TagInfo& t, uint8_t fill)
      : c_(c), f_(f), t_(t), fill_(fill) {}

  void run(uint32_t root) {
    try {
      walk(root, 0);
    } catch (const Error& e) {
      problem(e.where().offset.value_or(root), e.detail());
      return;
    }
    // Key order over the whole tag (leaves as the tree reaches them).
    for (size_t i = 1; i < keys_.size(); ++i)
      if (cdx::entry_less(keys_[i].key, keys_[i].recno, keys_[i - 1].key, keys_[i - 1].recno)) {
        // A writer that sorted without regard to case under a MACHINE header: one finding for
        // the tag, not one per key its seeks then miss.
        if (t_.collation.empty() || t_.collation == "MACHINE") {
          auto folded = [](const std::string& k) {
            std::string u = k;
            for (auto& ch : u) ch = char(std::toupper(static_cast<unsigned char>(ch)));
            return u;
          };
          bool case_blind = true;
          for (size_t j = 1; j < keys_.size() && case_blind; ++j)
            case_blind = !cdx::entry_less(folded(keys_[j].key), keys_[j].recno, folded(keys_[j - 1].key),
                                          keys_[j - 1].recno);
          if (case_blind) {
            other_collation_ = true;
            problem(keys_[i].page, "keys not in MACHINE order: written with another collation "
                                   "(sorted without regard to case)");
            break;
          }
        }
        problem(keys_[i].page, fmt::format("key of record {} is out of order (after record {})",
                                           keys_[i].recno, keys_[i - 1].recno));
        break;
      }
    // The leaf chain must visit the same leaves in the same order.
    try {
      auto chained = f_.scan(root, t_.key_length, fill_);
      std::vector<uint32_t> order;
      for (const auto& e : chained)
        if (order.empty() || order.back() != e.page) order.push_back(e.page);
      if (order != leaves_)
        problem(root, fmt::format("the leaf sibling chain ({} leaves) differs from the leaves the "
                                  "tree reaches ({})",
                                  order.size(), leaves_.size()));
    } catch (const Error& e) {
      problem(e.where().offset.value_or(root), e.detail());
    }
    if (t_.unique || t_.candidate)
      for (size_t i = 1; i < keys_.size(); ++i)
        if (keys_[i].key == keys_[i - 1].key) {
          problem(keys_[i].page, fmt::format("{} tag holds the key of record {} twice (also record {})",
                                             t_.candidate ? "CANDIDATE" : "UNIQUE", keys_[i].recno,
                                             keys_[i - 1].recno));
          break;
        }
  }
  size_t keys() const { return keys_.size(); }
  // The keys are in order for another collation: the tag's key-by-key differences follow
  // from that and are not listed.
  bool other_collation() const { return other_collation_; }

 private:
  void problem(uint64_t off, const std::string& m) {
    c_.add(Severity::problem, "index", {t_.index_file, off, {}, {}}, m,
           "rebuilds the index from its tag definitions", t_.name);
  }

  // Returns the last key of the subtree.
  std::optional<std::string> walk(uint32_t page, int depth) {
    if (depth > 32) throw Error(Errc::corrupt, {t_.index_file, page, {}, {}}, "tree deeper than 32 levels");
    if (!pages_.insert(page).second)
      throw Error(Errc::corrupt, {t_.index_file, page, {}, {}},
                  "page is reached twice from the root (a cycle or a shared page)");
    cdx::Node n = f_.store().node(page, t_.key_length, fill_);  // a copy: the cache may move
    std::optional<std::string> last;
    if (n.leaf()) {
      if (leaf_depth_ < 0) leaf_depth_ = depth;
      if (depth != leaf_depth_)
        problem(page, fmt::format("leaf at depth {} where the others are at {}", depth, leaf_depth_));
      if (!n.empty()) leaves_.push_back(page);  // (an empty tag has one empty leaf)
      for (size_t i = 0; i < n.count(); ++i) {
        keys_.push_back(n.entry(i));
        keys_.back().page = page;
      }
      if (!n.empty()) last = std::string(n.key(n.count() - 1));
    } else {
      if (n.empty()) problem(page, "interior page without keys");
      for (size_t i = 0; i < n.count(); ++i) {
        auto child_last = walk(n.child(i), depth + 1);
        if (child_last && *child_last != n.key(i))
          problem(page, fmt::format("interior key for child page {} is not the last key of that page", n.child(i)));
        last = std::string(n.key(i));
      }
    }
    return last;
  }

  Collector& c_;
  cdx::CdxFile& f_;
  const TagInfo& t_;
  uint8_t fill_;
  std::unordered_set<uint32_t> pages_;
  std::vector<uint32_t> leaves_;
  std::vector<cdx::Entry> keys_;
  int leaf_depth_ = -1;
  bool other_collation_ = false;
};

// Whether an expression names the field (as a whole word, any case).
bool mentions(const std::string& expr, const std::string& field) {
  auto up = [](std::string x) {
    for (auto& ch : x) ch = char(std::toupper(static_cast<unsigned char>(ch)));
    return x;
  };
  const std::string e = up(expr), f = up(field);
  auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_'; };
  for (size_t at = e.find(f); at != std::string::npos; at = e.find(f, at + 1))
    if ((at == 0 || !word(e[at - 1])) && (at + f.size() == e.size() || !word(e[at + f.size()])))
      return true;
  return false;
}

// The record a verify line is about ("record 12 (key ...) is missing", "(record 12, key ...)").
std::optional<uint32_t> record_in(const std::string& line) {
  auto at = line.find("record ");
  if (at == std::string::npos) return std::nullopt;
  uint64_t n = 0;
  size_t i = at + 7, digits = 0;
  for (; i < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) && digits < 10; ++i, ++digits)
    n = n * 10 + uint64_t(line[i] - '0');
  if (!digits || n > UINT32_MAX) return std::nullopt;
  return uint32_t(n);
}

}  // namespace

CheckResult check_table(const fs::path& path, const CheckOptions& opts) {
  CheckResult res;
  Collector c(res, opts.limit);
  FileSystem& fsys = opts.fs ? *opts.fs : FileSystem::os();
  const std::string file = path.string();
  OpenOptions o;
  o.fs = &fsys;
  o.read_only = true;
  o.memo_at_open = true;  // its header's problems are findings
  o.codepage = opts.codepage;
  std::unique_ptr<Table> t;
  try {
    t = Table::open(path, o);
  } catch (const Error& e) {
    c.add(Severity::problem, "header", e.where(), e.detail());
    c.close();
    return res;
  }
  res.opened = true;
  // What Table::open worked around, sorted into damage and other writers' habits.
  bool memo_unreadable = false;
  for (const auto& w : t->warnings()) {
    memo_unreadable = memo_unreadable || w.code == WarnCode::memo_unreadable;
    if (auto f = finding_for(w)) c.add(std::move(*f));
  }
  const TableInfo& info = t->info();
  {
    const Date& d = info.last_update;
    if (d.month == 0 && d.day == 0)  // some writers (CodeBase) leave it all zeros
      c.add(Severity::note, "header", {file, 1, {}, {}}, "no last-update date recorded");
    else if (!valid_date(Date{2000, d.month, d.day}))  // the month and day (the year is two digits)
      c.add(Severity::problem, "header", {file, 1, {}, {}},
            fmt::format("last-update date {:04}-{:02}-{:02} is not a date", d.year, d.month, d.day),
            "sets the last-update date to today");
  }
  if (info.codepage_mark == 0)
    c.add(Severity::note, "header", {file, 29, {}, {}},
          fmt::format("no codepage mark (byte 29 is 0); text is read as codepage {}", info.codepage));

  // The memo file, opened on its own so that its blocks can be checked one by one.
  std::unique_ptr<memo::MemoFile> memo;
  if (!info.memo_path.empty()) {
    std::vector<Warning> ignored;
    memo::MemoKind kind = dbf::describe_version(info.version, file).memo;
    const std::string ext = path_from_utf8(info.memo_path).extension().string();
    if (kind == memo::MemoKind::none)
      kind = (ext == ".dbt" || ext == ".DBT") ? memo::MemoKind::dbt3 : memo::MemoKind::fpt;
    try {
      memo = memo::MemoFile::open(kind, fsys.open(path_from_utf8(info.memo_path), OpenMode::read_only), false, ignored);
    } catch (const Error& e) {
      c.add(Severity::problem, "memo", e.where(), e.detail(),
            "saves the memo values it can read to the quarantine table and clears the pointers");
    }
  }
  const auto& descriptors = t->descriptors();
  const Field* nullflags = nullptr;
  for (const auto& f : descriptors)
    if (f.type == FieldType::nullflags) nullflags = &f;
  const auto& fields = t->fields();
  auto memo_like = [&](const Field& f) {
    return f.is_memo() || (f.type == FieldType::double_ && info.format != Format::vfp);
  };
  std::vector<MemoUse> uses;
  const uint64_t total_records = t->record_count();
  uint64_t total_work = total_records;
  t->scan([&](const Record& r) {
    ++res.stats.records;
    const auto bytes = r.bytes();
    uint64_t off = uint64_t(info.header_length) + uint64_t(r.recno() - 1) * info.record_length;
    if (bytes[0] == '*') {
      ++res.stats.deleted;
    } else if (bytes[0] != ' ') {
      c.add(Severity::problem, "record", {file, off, r.recno(), {}},
            fmt::format("deletion flag is 0x{:02X}, neither ' ' nor '*'", bytes[0]),
            "copies the record to the quarantine table and marks it deleted");
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      const Field& f = fields[i];
      if (memo_like(f)) {
        if (!memo && !memo_unreadable) continue;
        dbf::CodecContext ctx;
        ctx.format = info.format;
        ctx.nullflags = nullflags;
        ctx.where = {file, {}, r.recno(), f.name};
        ctx.record_offset = off;
        uint32_t block = 0;
        try {
          block = dbf::memo_pointer(f, bytes.data(), ctx);
        } catch (const Error& e) {
          c.add(Severity::problem, "memo", e.where(), e.detail(),
                "copies the record to the quarantine table and clears the pointer");
          continue;
        }
        if (!block) continue;
        if (!memo) {
          c.add(Severity::problem, "memo", {file, off + f.offset, r.recno(), f.name},
                fmt::format("points to memo block {}, but the memo file cannot be read", block),
                "copies the record to the quarantine table and clears the pointer");
          continue;
        }
        try {
          memo::Block b = memo->read(block, {file, {}, r.recno(), f.name});
          ++res.stats.memos;
          res.stats.memo_bytes += b.data.size();
          uses.push_back({block, memo->blocks_used(b.data.size()), r.recno(), f.name});
        } catch (const Error& e) {
          Location w = e.where();
          w.record = r.recno();
          w.field = f.name;
          c.add(Severity::problem, "memo", w, e.detail(),
                "saves what can be read to the quarantine table and clears the pointer");
        }
        continue;
      }
      try {
        (void)r.get(i);
      } catch (const Error& e) {
        Location w = e.where();
        if (!w.offset) w.offset = off + f.offset;
        c.add(Severity::problem, "record", w, e.detail(),
              "copies the record to the quarantine table and blanks the field");
      }
    }
    if (opts.progress && res.stats.records % 4096 == 0) opts.progress(res.stats.records, total_work);
    return true;
  });
  if (memo) check_memo_layout(c, uses, info.memo_path, memo->block_size());

  // Indexes: each tag's tree, then its keys against the records. The trees are walked under
  // the index read lock (as any reader takes it), so a writer's half-flushed pages are never
  // taken for damage; the lock is held per tag, not for the whole check.
  std::map<std::string, std::unique_ptr<cdx::CdxFile>> raw;
  const LockLayout layout(t->lock_scheme(), info.structural_index, info.header_length, info.record_length);
  const LockRange read_lock = layout.index_read(uint32_t(fsys.random()));
  std::vector<TagInfo> tags;
  try {
    tags = t->tags();
  } catch (const Error& e) {
    // The index file could not be read (a dropped connection, a bad sector): said, and the
    // findings about the records kept.
    if (e.code() != Errc::io) throw;
    c.add(Severity::problem, "io", e.where(), "the index could not be read: " + e.detail(),
          "check again once the file can be read (xbase repair does not act on it)", "");
  }
  for (const TagInfo& tag : tags) {
    ++res.stats.tags;
    if (!tag.problem.empty()) {
      c.add(Severity::note, "index", {tag.index_file, {}, {}, {}},
            fmt::format("tag {} cannot be maintained by this engine: {}", tag.name, tag.problem),
            "reindex rebuilds it in Visual FoxPro's form", tag.name);
      continue;
    }
    try {
      auto& f = raw[tag.index_file];
      std::unique_ptr<File> opened;
      File* lockable = nullptr;
      if (!f) {
        opened = fsys.open(path_from_utf8(tag.index_file), OpenMode::read_only);
        lockable = opened.get();
      } else {
        lockable = &f->file();
      }
      if (!lock::acquire(fsys, *lockable, read_lock, LockMode::shared, LockWait::up_to(std::chrono::seconds(30))))
        throw Error(Errc::lock_timeout, {tag.index_file, read_lock.offset, {}, {}},
                    "the index stayed locked by a writer for 30 s");
      struct Unlock {
        File* f;
        LockRange r;
        ~Unlock() {
          try {
            f->unlock(r.offset, r.length);
          } catch (...) {
          }
        }
      } unlock{lockable, read_lock};
      if (!f) f = cdx::CdxFile::open(std::move(opened));
      else f->refresh_if_changed();
      const cdx::Tag* ct = f->find(tag.name);
      if (!ct) throw Error(Errc::corrupt, {tag.index_file, {}, {}, {}}, "tag not in the directory");
      TreeCheck tc(c, *f, tag, tag.key_type == 'C' ? ' ' : 0);
      tc.run(ct->header.root);
      res.stats.keys += tc.keys();
      if (tc.other_collation()) continue;
    } catch (const Error& e) {
      c.add(Severity::problem, "index", e.where(), e.detail(),
            "rebuilds the index from its tag definitions", tag.name);
      continue;
    }
    try {
      // Nullable fields in a composite key or a FOR condition of a tag without VFP's null
      // marker: other writers key their nulls their own way (as blanks or zeros); those records
      // are a note, not damage. A tag on one such field is checked in its writer's form
      // (TagInfo::nulls_as_blank): a null keyed otherwise there is a problem, rebuilt by repair.
      std::vector<size_t> nullable;
      if (!tag.null_marker && !tag.nulls_as_blank)
        for (size_t i = 0; i < fields.size(); ++i)
          if (fields[i].nullable && (mentions(tag.key_expr + " " + tag.for_expr, fields[i].name) ||
                                     (!fields[i].long_name.empty() &&
                                      mentions(tag.key_expr + " " + tag.for_expr, fields[i].long_name))))
            nullable.push_back(i);
      std::set<uint32_t> null_keyed;
      std::vector<std::pair<std::string, std::optional<uint32_t>>> lines;
      for (const auto& line : t->verify_tag(tag.name, SIZE_MAX)) {
        auto r = record_in(line);
        if (r && !nullable.empty() && std::any_of(nullable.begin(), nullable.end(), [&](size_t i) {
              return *r <= t->record_count() && t->read(*r).get(i).is_null();
            })) {
          null_keyed.insert(*r);
          continue;
        }
        lines.emplace_back(line, r);
      }
      // Keys only missing (none stale, none extra) from a UNIQUE or CANDIDATE tag: other
      // writers' habits, not damage. When the record holding a UNIQUE key changes they drop
      // the key instead of giving it to the next record with it; Harbour never maintains
      // CANDIDATE tags (it takes them for custom tags). Seeks miss those keys until a rebuild.
      const bool only_missing =
          !lines.empty() && (tag.unique || tag.candidate) &&
          std::all_of(lines.begin(), lines.end(), [](const auto& l) {
            return l.second && std::string_view(l.first).ends_with(") is missing");
          });
      if (only_missing) {
        std::string records;
        for (size_t i = 0; i < lines.size() && i < 5; ++i)
          records += (i ? ", " : "") + std::to_string(*lines[i].second);
        if (lines.size() > 5) records += ", ...";
        std::string why =
            tag.candidate
                ? "another writer did not maintain this CANDIDATE tag (Harbour takes CANDIDATE tags "
                  "for custom tags it never updates)"
                : "another writer dropped a UNIQUE key when the record holding it changed, instead "
                  "of giving it to the next record with that key (other xBase writers do)";
        Finding* f = c.add(Severity::note, "index", {tag.index_file, {}, {}, {}},
                           fmt::format("{} keys missing (records {}): {}; seeks miss them until the "
                                       "tag is rebuilt",
                                       lines.size(), records, why),
                           "rebuilds the index from its tag definitions (as reindex does)", tag.name);
        if (f) f->repair_rebuilds = true;
        lines.clear();
      }
      for (const auto& [line, r] : lines)
        c.add(Severity::problem, "index", {tag.index_file, {}, r, {}}, line,
              "rebuilds the index from its tag definitions", tag.name);
      if (!null_keyed.empty())
        c.add(Severity::note, "index", {tag.index_file, {}, {}, {}},
              fmt::format("{} records with null values are keyed without Visual FoxPro's null "
                          "marker (another writer's convention)",
                          null_keyed.size()),
              "reindex rebuilds the tag in Visual FoxPro's form", tag.name);
    } catch (const Error& e) {
      c.add(Severity::problem, "index", e.where(), e.detail(),
            "rebuilds the index from its tag definitions", tag.name);
    }
  }
  if (opts.progress) opts.progress(total_work, total_work);
  c.close();
  return res;
}

}  // namespace xbase
