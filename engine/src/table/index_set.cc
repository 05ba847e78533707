#include "table/index_set.h"

#include "cdx/key_sort.h"
#include "cdx/sorter.h"
#include "util/coding.h"

#include <fmt/format.h>

#include <algorithm>

namespace xbase {

namespace {

// The most deferred keys per tag reserved at once (a million; beyond, the buffer grows).
constexpr size_t kDeferredReserveEntries = size_t(1) << 20;
// Deferred keys of up to this many bytes keep their buffer after going in (insert_deferred).
constexpr size_t kKeepDeferredBytes = size_t(1) << 20;

uint16_t base_length(const expr::Expression& e, Format format) {
  switch (e.type()) {
    case expr::Type::character: return uint16_t(e.length());
    case expr::Type::number: return (e.integer_field() && format == Format::vfp) ? 4 : 8;
    case expr::Type::date:
    case expr::Type::datetime: return 8;
    case expr::Type::logical: return 1;
    case expr::Type::null: return 0;
  }
  return 0;
}

}  // namespace

IndexSet::IndexSet(std::unique_ptr<cdx::CdxFile> file, const std::vector<Field>& descriptors,
                   const Codepage& cp, Format format, RecordScan scan, RecordRead read,
                   std::function<uint32_t()> record_count, FileSystem& fs, size_t sort_memory)
    : file_(std::move(file)),
      fields_(descriptors),
      cp_(cp),
      format_(format),
      scan_(std::move(scan)),
      read_(std::move(read)),
      record_count_(std::move(record_count)),
      fs_(fs),
      sort_memory_(sort_memory) {
  for (const auto& f : fields_)
    if (f.type == FieldType::nullflags) nullflags_ = &f;
  if (file_->loaded()) {
    for (const auto& t : file_->tags()) compile(t);
    refresh_infos();
  }
}

void IndexSet::load() {
  if (file_->loaded()) return;
  file_->load();
  runtimes_.clear();
  for (const auto& t : file_->tags()) compile(t);
  refresh_infos();
  forget_pages();
}

void IndexSet::compile(const cdx::Tag& t) {
  Runtime rt;
  rt.name = t.name;
  rt.key_length = t.header.key_length;
  rt.unique = t.header.unique();
  rt.candidate = t.header.candidate();
  rt.descending = t.header.descending;
  // Keys under VFP's other collations (GENERAL, DUTCH, ...) are weight strings this engine
  // does not compute: such a tag is read as stored but never written.
  if (!t.header.collation.empty() && t.header.collation != "MACHINE")
    rt.problem = fmt::format("collation {} is not supported (only MACHINE)", t.header.collation);
  try {
    rt.key.emplace(expr::Expression::compile(t.header.key_expr, fields_, cp_));
    if (!t.header.for_expr.empty()) {
      rt.cond.emplace(expr::Expression::compile(t.header.for_expr, fields_, cp_));
      if (rt.cond->type() != expr::Type::logical)
        rt.problem = fmt::format("FOR condition \"{}\" is not logical", t.header.for_expr);
    }
    uint16_t base = base_length(*rt.key, format_);
    rt.fill = rt.key->type() == expr::Type::character ? ' ' : 0;
    // VFP flags keys with a null marker; other writers are recognised by the extra byte.
    rt.marker = t.header.null_marker() || (rt.key->nullable() && rt.key_length == base + 1);
    rt.nulls_as_blank = !rt.marker && rt.key->nullable();
    if (rt.key->type() == expr::Type::number && rt.key->integer_field() &&
        rt.key_length != 4 + (rt.marker ? 1 : 0) && rt.key_length != 8 + (rt.marker ? 1 : 0))
      rt.problem = fmt::format("integer key of {} bytes", rt.key_length);
    choose_direct(rt);
  } catch (const Error& e) {
    rt.problem = e.detail();
  }
  runtimes_.push_back(std::move(rt));
}

// Keys cut from the record bytes when that gives exactly what evaluating would.
void IndexSet::choose_direct(Runtime& rt) {
  rt.direct = {};
  const expr::DirectKey& d = rt.key->direct_key();
  if (d.kind == expr::DirectKey::none || rt.marker || d.length != rt.key_length) return;
  rt.direct = d;
}

void IndexSet::refresh_infos() {
  infos_.clear();
  for (const auto& t : file_->tags()) {
    TagInfo ti;
    ti.name = t.name;
    ti.key_expr = t.header.key_expr;
    ti.for_expr = t.header.for_expr;
    ti.collation = t.header.collation;
    ti.key_length = t.header.key_length;
    ti.unique = t.header.unique();
    ti.candidate = t.header.candidate();
    ti.descending = t.header.descending;
    ti.null_marker = t.header.null_marker();
    ti.index_file = file_->file().path();
    for (const auto& rt : runtimes_) {
      if (rt.name != t.name) continue;
      ti.problem = rt.problem;
      ti.null_marker = rt.marker;  // also a key one byte longer than its nullable field
      ti.nulls_as_blank = rt.nulls_as_blank;
      if (rt.key) {
        static const char types[] = {'C', 'N', 'D', 'T', 'L', 0};
        ti.key_type = types[int(rt.key->type())];
        for (size_t f : rt.key->fields_used()) ti.key_fields.push_back(fields_[f].name);
      }
    }
    infos_.push_back(std::move(ti));
  }
}

IndexSet::Runtime& IndexSet::runtime(std::string_view name) {
  const cdx::Tag* t = file_->find(name);
  if (t)
    for (auto& rt : runtimes_)
      if (rt.name == t->name) return rt;
  throw Error(Errc::not_found, {file_->file().path(), {}, {}, {}}, fmt::format("no tag named {}", name));
}

bool IndexSet::key_of(const Runtime& rt, uint32_t recno, const uint8_t* rec, std::string& key) const {
  expr::RecordContext rc;
  rc.bytes = rec;
  rc.recno = recno;
  rc.nullflags = nullflags_;
  if (rt.cond) {
    expr::XValue c = rt.cond->eval(rc);
    if (c.type != expr::Type::logical || !c.b) return false;
  }
  if (rt.direct.kind != expr::DirectKey::none) {
    key.resize(rt.key_length);
    rt.direct.cut(rec, key.data());
    return true;
  }
  key = encode(rt, rt.key->eval(rc));
  return true;
}

// A tag on one nullable field without Visual FoxPro's null marker was written by another
// program (VFP always marks them; so does this engine), which keys a null as the field's blank
// value (Harbour: blanks, 0, an empty date), as `xbase check` finds in such files. Keyed any
// other way, the key of a record whose null changes is not found to be taken out, and stays.
std::string IndexSet::encode(const Runtime& rt, expr::XValue v) {
  if (v.type == expr::Type::null && rt.nulls_as_blank) {
    switch (rt.key->type()) {
      case expr::Type::character: v = expr::XValue::chars(""); break;
      case expr::Type::number: v = expr::XValue::number(0); break;
      case expr::Type::date: v = expr::XValue::date(0); break;
      case expr::Type::datetime: v = expr::XValue::datetime(0, 0); break;
      case expr::Type::logical: v = expr::XValue::logical(false); break;
      case expr::Type::null: break;
    }
    v.from_int_field = rt.key->integer_field();
  }
  return expr::encode_key(v, rt.key_length, rt.marker);
}

void IndexSet::check(uint32_t recno, const uint8_t* before, const uint8_t* after) {
  for (auto& rt : runtimes_) {
    if (!rt.problem.empty())
      throw Error(Errc::unsupported, {file_->file().path(), {}, recno, {}},
                  fmt::format("tag {} cannot be kept up to date ({}); changing the table would leave "
                              "it stale",
                              rt.name, rt.problem));
    if (!rt.candidate) continue;
    std::string& nk = new_key_;
    std::string& ok = old_key_;
    if (!key_of(rt, recno, after, nk)) continue;
    if (before && key_of(rt, recno, before, ok) && ok == nk) continue;
    auto tree = file_->tree(rt.name, rt.fill);
    if (tree.contains_key(nk))
      throw Error(Errc::duplicate, {file_->file().path(), {}, recno, {}},
                  fmt::format("the key is already in candidate tag {} (duplicates are not allowed)", rt.name));
  }
}

void IndexSet::apply(uint32_t recno, const uint8_t* before, const uint8_t* after) {
  settle_deferred();
  for (auto& rt : runtimes_) apply_one(rt, recno, before, after);
}

void IndexSet::apply_append_deferred(uint32_t recno, const uint8_t* after) {
  std::string& key = new_key_;  // apply_one below uses it too, but only where `key` is done
  for (auto& rt : runtimes_) {
    if (rt.unique || rt.candidate || !rt.problem.empty()) {
      apply_one(rt, recno, nullptr, after);
      continue;
    }
    if (!key_of(rt, recno, after, key)) continue;
    if (key.size() != rt.key_length) {
      apply_one(rt, recno, nullptr, after);  // refused there, as without deferring
      continue;
    }
    if (rt.deferred.capacity() == 0) rt.deferred.reserve(deferred_room(rt));
    cdx::append_entry(rt.deferred, key, rt.key_length, recno);
    rt.deferred_max = std::max(rt.deferred_max, recno);
    deferred_bytes_ += rt.key_length + 4u;
  }
  // Bounded like a bulk build's sort memory: beyond it the keys go in now.
  if (deferred_bytes_ > sort_memory_) insert_deferred();
}

// The bytes a tag's deferred keys reach before sort_memory_ is used up by all tags, reserved
// at once: growing by doubling copies the keys and touches fresh pages at every step. On
// Linux, pages of the reservation that are never written cost no memory.
size_t IndexSet::deferred_room(const Runtime& rt) const {
  size_t all = 0;
  for (const auto& r : runtimes_)
    if (!r.unique && !r.candidate && r.problem.empty()) all += size_t(r.key_length) + 4;
  const size_t per = size_t(rt.key_length) + 4;
  // Capped: how many appends will come is unknown, and sort_memory may be set very high.
  const size_t entries = std::min<size_t>(sort_memory_ / std::max<size_t>(all, per) + 1, kDeferredReserveEntries);
  return entries * per;
}

void IndexSet::insert_deferred() {
  deferred_bytes_ = 0;
  for (auto& rt : runtimes_) {
    if (rt.deferred.empty()) continue;
    std::vector<uint8_t> recs = std::move(rt.deferred);
    rt.deferred.clear();
    const size_t per = size_t(rt.key_length) + 4;
    const std::vector<uint32_t> order = cdx::sort_order(recs.data(), recs.size() / per, per);
    auto tree = file_->tree(rt.name, rt.fill);
    cdx::SortedEntries sorted(recs.data(), &order, rt.key_length);
    if (tree.first().first == cdx::kNone) {
      // An empty tag (a new table being filled): built in bulk from the sorted keys.
      file_->fill_empty_tag(rt.name, [&](std::string_view& key, uint32_t& recno) { return sorted.next(key, recno); },
                            rt.deferred_max, rt.fill);
    } else {
      std::string_view key;
      uint32_t recno;
      while (sorted.next(key, recno)) tree.insert(key, recno);
    }
    rt.deferred_max = 0;
    // A few keys between other changes (the usual case): the reservation is kept, so that the
    // next append does not map a fresh one and fault its first page in again (under ASan,
    // poisoning tens of MB each time made a test of mixed changes take many minutes). After a
    // large batch it is let go, so that its pages do not stay resident.
    if (recs.size() <= kKeepDeferredBytes) {
      recs.clear();
      rt.deferred = std::move(recs);
    }
  }
}

void IndexSet::apply_one(Runtime& rt, uint32_t recno, const uint8_t* before, const uint8_t* after) {
  {
    std::string& ok = old_key_;
    std::string& nk = new_key_;
    bool was = before && key_of(rt, recno, before, ok);
    bool is = key_of(rt, recno, after, nk);
    if (was == is && (!was || ok == nk)) return;
    auto tree = file_->tree(rt.name, rt.fill);
    if (rt.unique && rt.members) {
      if (was) {
        auto it = rt.members->find(ok);
        if (it != rt.members->end() && (it->second.erase(recno), it->second.empty())) rt.members->erase(it);
      }
      if (is) (*rt.members)[nk].insert(recno);
    }
    std::string& gone = ok;  // the key taken out (no longer needed as the old key below)
    bool erased = was && tree.erase(gone, recno);
    // A release before 2026-12-05 keyed a null in such a tag as zero bytes (no value's key is
    // all zero bytes): that key goes too when the null changes (and nobody inherits it).
    if (was && !erased && rt.nulls_as_blank) erased = tree.erase(gone.assign(rt.key_length, '\0'), recno);
    if (erased && rt.unique) {
      // This record stood for its key in a UNIQUE tag: the next record with the key takes
      // its place, so the tag keeps every distinct key. The table already holds `after`.
      if (auto h = heir(rt, gone)) tree.insert(gone, *h);
    }
    if (is) {
      if (rt.unique) {
        // Only the first record of a key is kept; a lower record number takes over.
        auto [page, i] = tree.lower_bound(nk, 0);
        if (page != cdx::kNone && tree.leaf(page).key(i) == nk) {
          uint32_t holder = tree.leaf(page).recno(i);
          if (holder < recno) return;
          tree.erase(nk, holder);
        }
      }
      tree.insert(nk, recno);
    }
  }
}

void IndexSet::gather_members(Runtime& rt) {
  rt.members.emplace();
  rt.members_lock = lock_epoch_;
  for_each_record([&](uint32_t r, const uint8_t* rec) {
    std::string k;
    if (key_of(rt, r, rec, k)) (*rt.members)[k].insert(r);
  });
}

std::optional<uint32_t> IndexSet::heir(Runtime& rt, const std::string& key) {
  if (!rt.members) gather_members(rt);
  auto first = [&]() -> std::optional<uint32_t> {
    auto it = rt.members->find(key);
    if (it == rt.members->end() || it->second.empty()) return std::nullopt;
    return *it->second.begin();
  };
  if (rt.members_lock == lock_epoch_) return first();
  // Gathered under an earlier lock: the candidate is read again now, under the index lock
  // this change holds (cooperating writers write records only under it). When it no longer
  // has the key the members are gathered again from the records now. When none is listed the
  // key leaves the tag as it stands (gathering at every such change cost a scan of the table
  // each: a record another process gave the key meanwhile is missed, as other writers drop it).
  auto h = first();
  if (!h) return h;
  std::string k;
  try {
    if (key_of(rt, *h, read_(*h), k) && k == key) return h;
  } catch (const Error&) {
    // gone (the table was packed or zapped meanwhile): gathered again below
  }
  gather_members(rt);
  return first();
}

void IndexSet::create_tag(const TagSpec& spec) {
  settle_deferred();
  if (spec.unique && spec.candidate)
    throw Error(Errc::usage, {}, "a tag is UNIQUE or CANDIDATE, not both");
  Runtime rt;
  rt.name = spec.name;
  rt.key.emplace(expr::Expression::compile(spec.key, fields_, cp_));
  if (!spec.for_expr.empty()) {
    rt.cond.emplace(expr::Expression::compile(spec.for_expr, fields_, cp_));
    if (rt.cond->type() != expr::Type::logical)
      throw Error(Errc::usage, {}, fmt::format("FOR condition \"{}\" is not logical", spec.for_expr));
  }
  uint16_t base = base_length(*rt.key, format_);
  if (base == 0) throw Error(Errc::usage, {}, fmt::format("key \"{}\" has no type (NULL?)", spec.key));
  rt.marker = format_ == Format::vfp && rt.key->nullable();
  rt.key_length = uint16_t(base + (rt.marker ? 1 : 0));
  if (rt.key_length > cdx::kMaxKeyLength)
    throw Error(Errc::usage, {}, fmt::format("key \"{}\" is {} bytes long; the most is {}", spec.key,
                                             rt.key_length, cdx::kMaxKeyLength));
  rt.fill = rt.key->type() == expr::Type::character ? ' ' : 0;
  rt.unique = spec.unique;
  rt.candidate = spec.candidate;
  rt.descending = spec.descending;
  choose_direct(rt);
  // Keys sorted in memory or in runs on disk, then streamed into full leaves.
  cdx::KeySorter sorter(fs_, file_->file().path(), rt.key_length, sort_memory_);
  sorter.expect(record_count_());
  if (rt.direct.kind != expr::DirectKey::none && !rt.cond) {
    // Every record has a key, cut from its bytes straight into the sorter.
    const expr::DirectKey& d = rt.direct;
    for_each_record([&](uint32_t r, const uint8_t* rec) { sorter.add_in_place(r, [&](char* out) { d.cut(rec, out); }); });
  } else {
    std::string k;
    for_each_record([&](uint32_t r, const uint8_t* rec) {
      if (key_of(rt, r, rec, k)) sorter.add(k, r);
    });
  }
  // UNIQUE and CANDIDATE tags: the entry before, to drop or refuse a repeated key.
  std::string last_key;
  uint32_t last_recno = 0;
  const bool distinct = rt.unique || rt.candidate;
  cdx::EntrySource source = [&](std::string_view& key, uint32_t& recno) {
    while (sorter.next(key, recno)) {
      if (!distinct) return true;
      if (last_recno && last_key == key) {
        if (rt.candidate)
          throw Error(Errc::usage, {file_->file().path(), {}, recno, {}},
                      fmt::format("records {} and {} have the same key: tag {} is a CANDIDATE",
                                  last_recno, recno, rt.name));
        continue;  // UNIQUE: the first record of each key only
      }
      last_key.assign(key);
      last_recno = recno;
      return true;
    }
    return false;
  };
  cdx::TagHeader h;
  h.key_length = rt.key_length;
  h.options = uint8_t(0x60 | (spec.unique ? 0x01 : 0) | (rt.marker ? 0x02 : 0) |
                      (spec.candidate ? 0x04 : 0) | (rt.cond ? 0x08 : 0));
  h.signature = 1;
  h.descending = spec.descending;
  h.key_expr = spec.key;
  h.for_expr = spec.for_expr;
  file_->add_tag(spec.name, h, source, sorter.max_recno(), rt.fill);
  rt.name = file_->tags().back().name;
  runtimes_.push_back(std::move(rt));
  file_->flush();
  refresh_infos();
}

void IndexSet::drop_tag(std::string_view name) {
  settle_deferred();
  std::string n = runtime(name).name;
  file_->drop_tag(n);
  std::erase_if(runtimes_, [&](const Runtime& rt) { return rt.name == n; });
  file_->flush();
  refresh_infos();
}

std::vector<TagSpec> IndexSet::specs() const { return file_->specs(); }

std::vector<uint32_t> IndexSet::order(std::string_view tag) {
  settle_deferred();
  Runtime& rt = runtime(tag);
  std::vector<uint32_t> out;
  file_->walk_tag(rt.name, rt.fill, [&](uint32_t, const cdx::Node& n) {
    out.insert(out.end(), n.recnos.begin(), n.recnos.end());
  });
  if (rt.descending) std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::string> IndexSet::verify(std::string_view tag, size_t limit) {
  settle_deferred();
  Runtime& rt = runtime(tag);
  std::vector<std::string> out;
  if (!rt.problem.empty()) return {fmt::format("tag {} cannot be evaluated: {}", rt.name, rt.problem)};
  auto hex = [](std::string_view k) {
    std::string h;
    for (unsigned char c : k) h += (c >= 0x20 && c < 0x7F && c != '\\') ? std::string(1, char(c)) : fmt::format("\\x{:02X}", c);
    return h;
  };
  auto report = [&](std::string msg) {
    if (out.size() < limit) out.push_back(std::move(msg));
  };
  // What the tag should hold: every record's key (FOR honoured) as flat (key, record number
  // big-endian) entries, sorted; a million keys cost their bytes, not a million strings.
  const size_t kl = rt.key_length, per = kl + 4;
  std::vector<uint8_t> recs;
  std::string k;
  for_each_record([&](uint32_t r, const uint8_t* rec) {
    if (!key_of(rt, r, rec, k)) return;
    if (k.size() != kl) {
      report(fmt::format("tag {}: record {} has a key of {} bytes where the tag holds {}", rt.name, r, k.size(), kl));
      return;
    }
    cdx::append_entry(recs, k, kl, r);
  });
  const std::vector<uint32_t> sorted = cdx::sort_order(recs.data(), recs.size() / per, per);
  auto key = [&](uint32_t e) { return std::string_view(reinterpret_cast<const char*>(recs.data()) + size_t(e) * per, kl); };
  auto recno = [&](uint32_t e) { return coding::get_be32(recs.data() + size_t(e) * per + kl); };
  // UNIQUE tags keep one record per key, not necessarily the first after updates: compare
  // their keys only. CANDIDATE tags must not have two records with one key.
  const bool unique = rt.unique;
  std::vector<uint32_t> expected;
  expected.reserve(sorted.size());
  for (uint32_t e : sorted) {
    if (!expected.empty() && key(expected.back()) == key(e)) {
      if (rt.candidate)
        throw Error(Errc::usage, {file_->file().path(), {}, recno(e), {}},
                    fmt::format("records {} and {} have the same key: tag {} is a CANDIDATE",
                                recno(expected.back()), recno(e), rt.name));
      if (unique) continue;
    }
    expected.push_back(e);
  }
  size_t j = 0, i = 0;
  auto missing = [&](uint32_t e) {
    report(fmt::format("tag {}: record {} (key \"{}\") is missing", rt.name, recno(e), hex(key(e))));
  };
  file_->walk_tag(rt.name, rt.fill, [&](uint32_t page, const cdx::Node& n) {
    for (size_t x = 0; x < n.count(); ++x) {
      ++i;
      std::string_view sk = n.key(x);
      uint32_t sr = n.recno(x);
      while (j < expected.size() && !(unique && key(expected[j]) == sk) &&
             cdx::entry_less(key(expected[j]), recno(expected[j]), sk, sr))
        missing(expected[j++]);
      if (j < expected.size() && key(expected[j]) == sk && (recno(expected[j]) == sr || unique)) {
        ++j;
        continue;
      }
      report(fmt::format("tag {}: entry {} on page {} (record {}, key \"{}\") should not be there",
                         rt.name, i, page, sr, hex(sk)));
    }
  });
  while (j < expected.size()) missing(expected[j++]);
  return out;
}

size_t IndexSet::key_count(std::string_view tag) {
  settle_deferred();
  Runtime& rt = runtime(tag);
  size_t n = 0;
  file_->walk_tag(rt.name, rt.fill, [&](uint32_t, const cdx::Node& leaf) { n += leaf.count(); });
  return n;
}

std::string IndexSet::seek_key(std::string_view tag, const Value& v, SeekMode mode) {
  Runtime& rt = runtime(tag);
  if (!rt.key) throw Error(Errc::unsupported, {file_->file().path(), {}, {}, {}}, rt.problem);
  expr::XValue x;
  switch (v.kind()) {
    case Value::Kind::null: x = expr::XValue::null(); break;
    case Value::Kind::text: x = expr::XValue::chars(cp_.encode(v.str())); break;
    case Value::Kind::binary: x = expr::XValue::chars(v.str()); break;
    case Value::Kind::number: x = expr::XValue::number(std::stod(v.str())); break;
    case Value::Kind::integer:
    case Value::Kind::currency:
    case Value::Kind::real: x = expr::XValue::number(v.as_real()); break;
    case Value::Kind::date: x = expr::XValue::date(julian_day(v.as_date())); break;
    case Value::Kind::datetime: x = expr::XValue::datetime(v.as_datetime().julian_day, v.as_datetime().millis); break;
    case Value::Kind::logical: x = expr::XValue::logical(v.as_logical()); break;
    case Value::Kind::empty: x = expr::XValue::chars(""); break;
  }
  if (x.type != expr::Type::null && rt.key->type() != x.type)
    throw Error(Errc::usage, {}, fmt::format("tag {} has {} keys; a {} value was given", rt.name,
                                             expr::type_name(rt.key->type()), expr::type_name(x.type)));
  x.from_int_field = rt.key->integer_field();
  if (x.type == expr::Type::character && mode != SeekMode::exact) {
    // A prefix: no padding; trailing blanks of the search text do not count either.
    size_t e = x.s.find_last_not_of(' ');
    x.s.resize(e == std::string::npos ? 0 : e + 1);
    return (rt.marker ? std::string(1, '\x80') : std::string()) + x.s;
  }
  return encode(rt, x);
}

std::optional<uint32_t> IndexSet::seek(std::string_view tag, const Value& v, SeekMode mode) {
  settle_deferred();
  std::string key = seek_key(tag, v, mode);
  Runtime& rt = runtime(tag);
  auto tree = file_->tree(rt.name, rt.fill);
  auto [page, i] = tree.lower_bound(key, 0);
  if (page == cdx::kNone) return std::nullopt;
  const cdx::Node& leaf = tree.leaf(page);
  if (mode == SeekMode::soft) return leaf.recno(i);
  std::string_view found = leaf.key(i);
  bool match = mode == SeekMode::exact ? found == key : found.substr(0, key.size()) == key;
  return match ? std::optional<uint32_t>(leaf.recno(i)) : std::nullopt;
}

}  // namespace xbase

namespace xbase {

bool IndexSet::in_scope(const Cursor& c, std::string_view key) const {
  if (c.top && key.substr(0, c.top->size()).compare(*c.top) < 0) return false;
  if (c.bottom && key.substr(0, c.bottom->size()).compare(*c.bottom) > 0) return false;
  return true;
}

bool IndexSet::tree_step(cdx::Tree& tree, uint32_t& page, size_t& index, bool up) {
  if (up) {
    ++index;
    while (page != cdx::kNone && index >= tree.leaf(page).count()) {
      page = tree.leaf(page).right;
      index = 0;
    }
    return page != cdx::kNone;
  }
  while (index == 0) {
    page = tree.leaf(page).left;
    if (page == cdx::kNone) return false;
    index = tree.leaf(page).count();
  }
  --index;
  return true;
}

bool IndexSet::refresh() {
  settle_deferred();
  ++lock_epoch_;  // records may have changed even when the index did not
  if (!file_->loaded()) {
    load();
    return true;
  }
  if (!file_->refresh_if_changed()) return false;
  forget_pages();
  return true;
}

void IndexSet::unload() { forget_read(false); }

void IndexSet::discard() { forget_read(true); }

// Keys not yet written and pages read go; `reread`: the file is read again now, else at its
// next use.
void IndexSet::forget_read(bool reread) {
  if (!file_->loaded()) return;  // nothing read, nothing to forget
  for (auto& rt : runtimes_) {
    rt.deferred.clear();
    rt.deferred_max = 0;
  }
  deferred_bytes_ = 0;
  if (reread)
    file_->reload();
  else
    file_->unload();
  forget_pages();
}

// What was derived from the pages (UNIQUE members, cursor positions) no longer holds.
void IndexSet::forget_pages() {
  for (auto& rt : runtimes_) rt.members.reset();
  ++generation_;
}

// Lands on (page, index), skipping forward/backward (in tag order) past nothing; checks the
// scope and records the position.
bool IndexSet::settle(Cursor& c, cdx::Tree& tree, uint32_t page, size_t index, bool forward) {
  (void)forward;
  if (page == cdx::kNone || index >= tree.leaf(page).count()) {
    c.recno = 0;
    return false;
  }
  const cdx::Node& leaf = tree.leaf(page);
  std::string_view key = leaf.key(index);
  if (!in_scope(c, key)) {
    c.recno = 0;
    return false;
  }
  c.key.assign(key);
  c.recno = leaf.recno(index);
  c.page = page;
  c.index = index;
  c.generation = generation_;
  return true;
}

bool IndexSet::first(Cursor& c) {
  settle_deferred();
  Runtime& rt = runtime(c.tag);
  auto tree = file_->tree(rt.name, rt.fill);
  // The first entry in the tag's order within the scope.
  if (!rt.descending) {
    auto [page, i] = c.top ? tree.lower_bound(*c.top, 0) : tree.first();
    return settle(c, tree, page, i, true);
  }
  if (c.bottom) {
    // The last entry whose key begins with or sorts before the bottom prefix.
    std::string after = *c.bottom;
    after.push_back('\xFF');
    auto [page, i] = tree.lower_bound(after + std::string(rt.key_length, '\xFF'), UINT32_MAX);
    if (page == cdx::kNone) {
      auto l = tree.last();
      return settle(c, tree, l.first, l.second, true);
    }
    if (!tree_step(tree, page, i, false)) return settle(c, tree, cdx::kNone, 0, true);
    return settle(c, tree, page, i, true);
  }
  auto [page, i] = tree.last();
  return settle(c, tree, page, i, true);
}

bool IndexSet::last(Cursor& c) {
  // The last entry in the tag's order is the first one of the opposite order.
  Runtime& rt = runtime(c.tag);
  rt.descending = !rt.descending;
  bool ok;
  try {
    ok = first(c);
  } catch (...) {
    rt.descending = !rt.descending;
    throw;
  }
  rt.descending = !rt.descending;
  return ok;
}

bool IndexSet::step(Cursor& c, bool forward) {
  settle_deferred();
  if (c.recno == 0) return false;
  Runtime& rt = runtime(c.tag);
  auto tree = file_->tree(rt.name, rt.fill);
  uint32_t page = c.page;
  size_t i = c.index;
  // The page may have changed since the cursor was placed: find the entry again.
  bool valid = c.generation == generation_ && page != cdx::kNone &&
               i < tree.leaf(page).count() &&
               tree.leaf(page).key(i) == c.key && tree.leaf(page).recno(i) == c.recno;
  if (!valid) {
    auto p = tree.lower_bound(c.key, c.recno);
    page = p.first;
    i = p.second;
    bool exact = page != cdx::kNone && tree.leaf(page).key(i) == c.key &&
                 tree.leaf(page).recno(i) == c.recno;
    // Our entry is gone: lower_bound already stands on its successor in tree order.
    if (!exact) {
      bool up = forward != rt.descending;
      if (up) return settle(c, tree, page, i, forward);
      if (page == cdx::kNone) {
        auto l = tree.last();
        return settle(c, tree, l.first, l.second, forward);
      }
      if (!tree_step(tree, page, i, false)) return settle(c, tree, cdx::kNone, 0, forward);
      return settle(c, tree, page, i, forward);
    }
  }
  bool up = forward != rt.descending;
  if (!tree_step(tree, page, i, up)) return settle(c, tree, cdx::kNone, 0, forward);
  return settle(c, tree, page, i, forward);
}

bool IndexSet::seek(Cursor& c, const Value& v, SeekMode mode) {
  settle_deferred();
  std::string key = seek_key(c.tag, v, mode);
  Runtime& rt = runtime(c.tag);
  auto tree = file_->tree(rt.name, rt.fill);
  auto [page, i] = tree.lower_bound(key, 0);
  if (page == cdx::kNone) {
    c.recno = 0;
    return false;
  }
  std::string_view found = tree.leaf(page).key(i);
  bool match = mode == SeekMode::exact ? found == key : found.substr(0, key.size()) == key;
  if (!match && mode != SeekMode::soft) {
    c.recno = 0;
    return false;
  }
  return settle(c, tree, page, i, true) && match;
}

}  // namespace xbase
