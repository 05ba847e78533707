#include "fuzz_harness.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <vector>

#include "dbc/properties.h"
#include "testing/mem_fs.h"
#include "xbase/database.h"
#include "xbase/cursor.h"
#include "xbase/index.h"
#include "xbase/table.h"

namespace xbase::fuzz {

namespace {

using test::MemFileSystem;

// Results go here so that the work producing them cannot be optimised away.
volatile uint64_t g_sink = 0;
void keep(uint64_t v) { g_sink = g_sink + v; }

// Touches every accessor that applies to the value's kind, so decoding results are used.
// They may throw xbase::Error (a number beyond the double range), nothing else.
void consume_unchecked(const Value& v);
void consume(const Value& v) {
  try {
    consume_unchecked(v);
  } catch (const Error&) {
  }
}
void consume_unchecked(const Value& v) {
  auto bits = [](double d) {
    uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return b;
  };
  switch (v.kind()) {
    case Value::Kind::null:
    case Value::Kind::empty:
      keep(1);
      break;
    case Value::Kind::text:
    case Value::Kind::binary:
      keep(v.str().size());
      break;
    case Value::Kind::number:
      keep(v.str().size() + bits(v.as_real()));
      break;
    case Value::Kind::integer:
    case Value::Kind::currency:
      keep(uint64_t(v.as_integer()) + bits(v.as_real()));
      break;
    case Value::Kind::real:
      keep(bits(v.as_real()));
      break;
    case Value::Kind::date:
      keep(uint64_t(v.as_date().day));
      break;
    case Value::Kind::datetime:
      keep(uint64_t(v.as_datetime().millis));
      break;
    case Value::Kind::logical:
      keep(v.as_logical());
      break;
  }
  keep(std::strlen(kind_name(v.kind())));
}

void touch_info(const Table& t) {
  const TableInfo& in = t.info();
  keep(in.version + in.header_length + in.record_length + in.memo_block_size + in.backlink.size() +
       in.version_name.size() + uint64_t(in.last_update.year));
  for (const auto& f : t.fields()) keep(describe_field(f).size() + f.offset);
  for (const auto& w : t.warnings()) keep(w.to_string().size());
}

// Reads every record (up to the caps) and every field of each, tolerating bad values.
void read_all(Table& t) {
  touch_info(t);
  const uint32_t n = std::min(t.record_count(), kMaxRecords);
  const size_t nf = t.fields().size();
  uint64_t cells = 0;
  for (uint32_t r = 1; r <= n && cells < kMaxCells; ++r) {
    try {
      Record rec = t.read(r);
      keep(rec.deleted());
      for (size_t f = 0; f < nf && cells < kMaxCells; ++f, ++cells) {
        keep(rec.raw(f).size());
        consume(t.get_tolerant(rec, f));
      }
    } catch (const Error&) {
      // A record that cannot be read (e.g. past the end of a truncated file).
    }
  }
  // Physical navigation over the same range.
  uint32_t steps = 0;
  Cursor c(t);
  for (bool ok = c.go_top(); ok && steps < n; ok = c.skip()) ++steps;
  c.go_bottom();
  c.skip(-1);
}

// ------------------------------------------------------------------ memo tables

struct MemoTemplate {
  std::vector<uint8_t> header;  // header bytes, no records, no EOF marker
  uint16_t record_len = 0;
  std::vector<std::pair<uint32_t, uint16_t>> memo_fields;  // offset, length
  std::string dbf_path, memo_path;
};

const MemoTemplate& memo_template(int flavour) {
  static std::array<std::unique_ptr<MemoTemplate>, 4> cache;
  auto& slot = cache[size_t(flavour)];
  if (slot) return *slot;
  static const Format formats[4] = {Format::vfp, Format::fox2, Format::dbase3, Format::dbase4};
  static const char* specs[4] = {"NOTE M, BLOB W", "NOTE M, OLE G", "NOTE M, NOTE2 M",
                                 "NOTE M, NOTE2 M"};
  MemFileSystem fs;
  CreateOptions co;
  co.fs = &fs;
  co.format = formats[flavour];
  co.codepage = 1252;
  auto tpl = std::make_unique<MemoTemplate>();
  tpl->dbf_path = "/m/MEMO.DBF";
  {
    auto t = Table::create(tpl->dbf_path, parse_field_list(specs[flavour]), co);
    tpl->record_len = t->info().record_length;
    tpl->memo_path = t->info().memo_path;
    for (const auto& f : t->fields()) tpl->memo_fields.emplace_back(f.offset, f.length);
    t->close();
  }
  auto bytes = fs.get(tpl->dbf_path);
  if (bytes.empty() || bytes.back() != 0x1A || tpl->memo_path.empty()) {
    std::fprintf(stderr, "memo_fuzz: cannot build the template table\n");
    std::abort();
  }
  bytes.pop_back();
  tpl->header = std::move(bytes);
  slot = std::move(tpl);
  return *slot;
}

void put_pointer(uint8_t* p, uint16_t len, uint32_t block) {
  if (len == 4) {
    for (int i = 0; i < 4; ++i) p[i] = uint8_t(block >> (8 * i));
    return;
  }
  std::memset(p, ' ', len);
  std::string s = std::to_string(block);
  std::memcpy(p + len - s.size(), s.data(), s.size());
}

[[noreturn]] void oracle_failure(const char* what, uint32_t recno) {
  std::fprintf(stderr, "memo_fuzz: %s (record %u)\n", what, recno);
  std::abort();
}

}  // namespace

void run_dbf(const uint8_t* data, size_t size) {
  MemFileSystem fs(kMaxFileSize);
  fs.put("/d/FUZZ.DBF", data, size);
  OpenOptions o;
  o.fs = &fs;
  o.read_only = true;
  std::unique_ptr<Table> t;
  try {
    t = Table::open("/d/FUZZ.DBF", o);
  } catch (const Error&) {
    return;  // refused cleanly
  }
  read_all(*t);
  t->close();
  if (fs.read_only_write()) oracle_failure("a table opened read-only was written to", 0);
}

namespace {

// A value of the kind each field type takes (it may still not fit: overflow errors are fine).
Value sample_value(const Field& f, int k) {
  switch (f.type) {
    case FieldType::character:
    case FieldType::varchar:
      return Value::text(k ? "Zoë €" : "x");
    case FieldType::numeric:
    case FieldType::floating:
      return Value::number(k ? "-12.5" : "7");
    case FieldType::date:
      return Value::date({2024, 2, 29});
    case FieldType::logical:
      return Value::logical(k != 0);
    case FieldType::integer:
      return Value::integer(k ? -5 : 2147483647);
    case FieldType::currency:
      return Value::currency(k ? -123456 : 1);
    case FieldType::datetime:
      return Value::datetime({2460000, 12345});
    case FieldType::double_:
      return Value::real(k ? -0.25 : 1e300);
    case FieldType::varbinary:
    case FieldType::blob:
    case FieldType::general:
    case FieldType::picture:
      return Value::binary(std::string(size_t(k * 70), 'b'));
    case FieldType::memo:
      return Value::text(std::string(size_t(k * 70), 'm'));
    default:
      return Value::text("?");
  }
}

void try_op(const std::function<void()>& op) {
  try {
    op();
  } catch (const Error&) {
  }
}

}  // namespace

void run_dbf_write(const uint8_t* data, size_t size) {
  MemFileSystem fs(kMaxFileSize);
  fs.put("/w/FUZZ.DBF", data, size);
  OpenOptions o;
  o.fs = &fs;
  o.exclusive = true;  // pack and zap below need it
  // Opening read-write and closing without a change must leave the file as it was (reference 7:
  // never rewrite a file merely because it was opened).
  try {
    Table::open("/w/FUZZ.DBF", o)->close();
  } catch (const Error&) {
    return;
  }
  {
    auto now = fs.get("/w/FUZZ.DBF");
    if (now.size() != size || (size && std::memcmp(now.data(), data, size) != 0))
      oracle_failure("opening and closing a table changed it", 0);
  }
  std::unique_ptr<Table> t;
  try {
    t = Table::open("/w/FUZZ.DBF", o);
  } catch (const Error&) {
    return;
  }
  const size_t nf = t->fields().size();
  std::vector<Value> values;
  for (const auto& f : t->fields()) values.push_back(sample_value(f, 1));
  try_op([&] { t->append(values); });
  try_op([&] { t->append(); });
  if (t->record_count() > 0) {
    for (size_t f = 0; f < nf; ++f) {
      try_op([&] { t->update(1, f, sample_value(t->fields()[f], 0)); });
      if (t->fields()[f].nullable) try_op([&] { t->update(1, f, Value::null()); });
    }
    try_op([&] { t->remove(1); });
    try_op([&] { t->recall(1); });
    try_op([&] { t->remove(t->record_count()); });
  }
  try_op([&] { t->flush(); });
  try_op([&] { read_all(*t); });
  if (t->record_count() <= kMaxRecords) {
    try_op([&] {
      uint32_t live = 0;
      for (uint32_t r = 1; r <= t->record_count(); ++r) live += !t->read(r).deleted();
      t->pack();
      if (t->record_count() != live) oracle_failure("pack kept a wrong number of records", live);
      read_all(*t);
    });
  }
  try_op([&] {
    t->zap();
    if (t->record_count() != 0) oracle_failure("zap left records", t->record_count());
    t->append(values);
    read_all(*t);
  });
  try_op([&] { t->close(); });
  // Whatever the engine left behind must open again (or be refused cleanly).
  OpenOptions ro;
  ro.fs = &fs;
  ro.read_only = true;
  try_op([&] {
    auto again = Table::open("/w/FUZZ.DBF", ro);
    read_all(*again);
  });
  if (fs.cap_hit()) oracle_failure("the engine wrote far past the end of a file", 0);
}

void run_memo(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const int flavour = data[0] & 3;
  const bool write_mode = data[0] & 4;
  const size_t nexp = data[1] & 15;
  if (size < 2 + 4 * nexp) return;
  std::vector<uint32_t> blocks;
  for (size_t i = 0; i < nexp; ++i) {
    const uint8_t* p = data + 2 + 4 * i;
    blocks.push_back(uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
                     uint32_t(p[3]) << 24);
  }
  const uint8_t* memo = data + 2 + 4 * nexp;
  const size_t memo_size = size - 2 - 4 * nexp;

  // Automatic pointers: the first data blocks, where a well-formed file keeps its memos.
  uint32_t first = 1;
  if (flavour <= 1) {
    uint32_t bs = memo_size >= 8 ? (uint32_t(memo[6]) << 8 | memo[7]) : 64;
    if (bs == 0) bs = 1;
    first = (512 + bs - 1) / bs;
  }
  for (uint32_t b = first; b < first + 48; ++b) blocks.push_back(b);

  const MemoTemplate& tpl = memo_template(flavour);
  std::vector<uint8_t> dbf = tpl.header;
  const uint32_t count = uint32_t(blocks.size());
  for (int i = 0; i < 4; ++i) dbf[4 + size_t(i)] = uint8_t(count >> (8 * i));
  for (uint32_t r = 0; r < count; ++r) {
    size_t at = dbf.size();
    dbf.resize(at + tpl.record_len, ' ');
    // Record r's first memo field points at its block; the second one at the next record's.
    for (size_t f = 0; f < tpl.memo_fields.size(); ++f) {
      uint32_t b = blocks[(r + f) % count];
      put_pointer(dbf.data() + at + tpl.memo_fields[f].first, tpl.memo_fields[f].second, b);
    }
  }
  dbf.push_back(0x1A);

  MemFileSystem fs(kMaxFileSize);
  fs.put(tpl.dbf_path, dbf.data(), dbf.size());
  fs.put(tpl.memo_path, memo, memo_size);

  OpenOptions o;
  o.fs = &fs;
  o.read_only = true;
  try {
    auto t = Table::open(tpl.dbf_path, o);
    read_all(*t);
    t->close();
  } catch (const Error&) {
  }
  if (fs.read_only_write()) oracle_failure("a table opened read-only was written to", 0);
  if (!write_mode) return;

  // Rewrite memos of several sizes (in place when they fit the old blocks, else appended), and
  // check that each one reads back as written.
  o.read_only = false;
  o.exclusive = true;  // pack, reindex and tag changes need it
  std::unique_ptr<Table> t;
  try {
    t = Table::open(tpl.dbf_path, o);
  } catch (const Error&) {
    return;
  }
  static const size_t sizes[] = {0, 1, 7, 56, 57, 120, 300, 513, 1000, 5000};
  const uint32_t n = std::min<uint32_t>(t->record_count(), 16);
  for (uint32_t r = 1; r <= n; ++r) {
    size_t len = sizes[(r + data[1] / 16) % std::size(sizes)];
    std::string text(len, 'a');
    for (size_t i = 0; i < len; ++i) text[i] = char('a' + (i * 7 + r) % 26);
    Value v = Value::text(text);
    try {
      t->update(r, 0, v);
    } catch (const Error&) {
      continue;  // e.g. the memo file is full (mem fs cap) or unreadable
    }
    Value back;
    try {
      back = t->read(r).get(size_t(0));
    } catch (const Error& e) {
      std::fprintf(stderr, "%s\n", e.what());
      oracle_failure("a memo just written cannot be read back", r);
    }
    if (!(back == v)) oracle_failure("a memo just written reads back differently", r);
  }
  try {
    uint32_t before = t->record_count();
    t->pack();
    if (t->record_count() != before) oracle_failure("pack lost records", 0);
    read_all(*t);
  } catch (const Error&) {
  }
  try {
    t->close();
  } catch (const Error&) {
  }
  if (fs.cap_hit()) oracle_failure("the engine wrote far past the end of a file", 0);
}

// ------------------------------------------------------------------ CDX

namespace {

struct CdxTemplate {
  std::vector<uint8_t> dbf, cdx;
  std::string dbf_path = "/c/T.DBF", cdx_path;
};

// Row i of the index table, after the generator of shared/fixtures/README.md (shortened).
std::vector<Value> cdx_row(const std::vector<Field>& fields, int i) {
  static const char* first[] = {"Anna", "Björn", "Chloé", "Daan", "Eva", "Floor", "Gijs"};
  static const char* last[] = {"de Vries", "Jansen", "Müller", "Bakker", "Visser"};
  std::vector<Value> v;
  for (const auto& f : fields) {
    const std::string& n = f.name;
    if (n == "ID") v.push_back(f.type == FieldType::integer ? Value::integer(i)
                                                             : Value::number(std::to_string(i)));
    else if (n == "N10") v.push_back(Value::real(double((i * 7919) % 20003 - 10000) / 100));
    else if (n == "N5") v.push_back(Value::integer((i * 31) % 17));
    else if (n == "NAME")
      v.push_back(Value::text(i % 10 == 0 ? std::string()
                                          : std::string(first[i % 7]) + " " + last[i % 5]));
    else if (n == "D")
      v.push_back(i % 9 == 4 ? Value::empty() : Value::date(from_julian_day(2451545 + i * 13)));
    else if (n == "L") v.push_back(Value::logical(i % 3 == 0));
    else if (n == "IV") v.push_back(i % 9 == 0 ? Value::null() : Value::integer(i * 17 % 50 - 25));
    else if (n == "Y") v.push_back(Value::currency((i * 1234577) % 2000000 - 1000000));
    else if (n == "T") v.push_back(i % 8 == 0 ? Value::empty() : Value::datetime({2451545 + i, i * 1000}));
    else if (n == "B" || n == "F") v.push_back(Value::real(double((i * 7919) % 1003) / 64 - 7));
    else if (n == "VC") v.push_back(Value::text(std::string(size_t(i % 7), 'v')));
    else if (n == "CN")
      v.push_back(i % 7 == 0 ? Value::null() : Value::text("K" + std::to_string(i * 37 % 500)));
    else v.push_back(Value::null());
  }
  return v;
}

const CdxTemplate& cdx_template(int flavour) {
  static std::array<std::unique_ptr<CdxTemplate>, 2> cache;
  auto& slot = cache[size_t(flavour)];
  if (slot) return *slot;
  auto tpl = std::make_unique<CdxTemplate>();
  MemFileSystem fs;
  CreateOptions co;
  co.fs = &fs;
  co.format = flavour == 0 ? Format::vfp : Format::fox2;
  const char* spec = flavour == 0
      ? "ID I, N10 N(10,2), N5 N(5), NAME C(30), D D, L L, IV I NULL, Y Y, T T, B B(8,4), "
        "VC V(20), CN C(12) NULL"
      : "ID N(7), N10 N(10,2), N5 N(5), NAME C(30), D D, L L, F F(12,3)";
  std::vector<TagSpec> tags = {
      {"ID", "ID", "", false, false, false},
      {"NAME", "UPPER(NAME)", "", false, false, false},
      {"N5D", "STR(N5,5)+DTOS(D)", "", false, false, false},
      {"FORL", "NAME", "L", false, false, false},
      {"N10DESC", "N10", "", false, false, true},
      {"N5UNIQ", "N5", "", true, false, false},
      {"LOG", "L", "", false, false, false},
      {"DAT", "D", "", false, false, false},
      {"NOTDEL", "ID", "!DELETED()", false, false, false},
  };
  if (flavour == 0) {
    tags.push_back({"CUR", "Y", "", false, false, false});
    tags.push_back({"DTM", "T", "", false, false, false});
    tags.push_back({"DBL", "B", "", false, false, false});
    tags.push_back({"CNUL", "CN", "", false, false, false});
    tags.push_back({"INUL", "IV", "", false, false, false});
  } else {
    tags.push_back({"FLT", "F", "", false, false, false});
  }
  {
    auto t = Table::create(tpl->dbf_path, parse_field_list(spec), co);
    for (int i = 1; i <= 60; ++i) {
      t->append(cdx_row(t->fields(), i));
      if (i % 11 == 3) t->remove(uint32_t(i));
    }
    for (const auto& tag : tags) t->create_tag(tag);
    if (!t->info().structural_index_path) {
      std::fprintf(stderr, "cdx_fuzz: the template table has no structural index\n");
      std::abort();
    }
    tpl->cdx_path = *t->info().structural_index_path;
    t->close();
  }
  tpl->dbf = fs.get(tpl->dbf_path);
  tpl->cdx = fs.get(tpl->cdx_path);
  slot = std::move(tpl);
  return *slot;
}

// A key of the tag's type, varying with k.
Value sample_key(char key_type, int k) {
  switch (key_type) {
    case 'C': return Value::text(k % 3 == 0 ? "" : k % 3 == 1 ? "A" : "JANSEN");
    case 'N': return Value::integer(k * 7 - 10);
    case 'D': return Value::date(from_julian_day(2451545 + k * 100));
    case 'T': return Value::datetime({2451545 + k, 0});
    case 'L': return Value::logical(k % 2);
    default: return Value::text("x");
  }
}

void exercise_tags(Table& t) {
  std::vector<TagInfo> tags = t.tags();
  if (tags.size() > 32) tags.resize(32);
  for (const auto& tag : tags) {
    try_op([&] { keep(t.key_count(tag.name)); });
    try_op([&] { keep(t.tag_order(tag.name).size()); });
    try_op([&] { keep(t.verify_tag(tag.name).size()); });
    for (int k = 0; k < 3; ++k)
      for (SeekMode m : {SeekMode::exact, SeekMode::partial, SeekMode::soft})
        try_op([&] { keep(t.seek(tag.name, sample_key(tag.key_type, k), m).value_or(0)); });
    try_op([&] {
      Cursor c(t, tag.name);
      uint32_t steps = 0;
      for (bool ok = c.go_top(); ok && steps < kMaxSteps; ok = c.skip()) keep(c.recno() + ++steps);
      steps = 0;
      for (bool ok = c.go_bottom(); ok && steps < kMaxSteps; ok = c.skip(-1)) keep(++steps);
      keep(c.find(sample_key(tag.key_type, 1), SeekMode::soft));
      c.set_scope(sample_key(tag.key_type, 0), sample_key(tag.key_type, 2));
      steps = 0;
      for (bool ok = c.go_top(); ok && steps < kMaxSteps; ok = c.skip()) keep(++steps);
      c.set_scope(std::nullopt, std::nullopt);
    });
  }
}

// After a rebuild every tag the engine can maintain must agree with the records.
void check_tags_verify(Table& t, const char* after) {
  for (const auto& tag : t.tags()) {
    if (!tag.problem.empty()) continue;
    std::vector<std::string> diffs;
    try {
      diffs = t.verify_tag(tag.name);
    } catch (const Error&) {
      continue;
    }
    if (!diffs.empty()) {
      std::fprintf(stderr, "cdx_fuzz: tag %s after %s: %s\n", tag.name.c_str(), after,
                   diffs.front().c_str());
      oracle_failure("a freshly built tag does not match the records", 0);
    }
  }
}

std::vector<uint8_t> cdx_for(const CdxTemplate& tpl, const uint8_t* data, size_t size) {
  std::vector<uint8_t> cdx;
  if (data[0] & 4) {
    cdx.assign(data + 1, data + size);
  } else {
    cdx = tpl.cdx;
    if (size - 1 > cdx.size()) cdx.resize(size - 1, 0);
    for (size_t i = 1; i < size; ++i) cdx[i - 1] ^= data[i];
  }
  return cdx;
}

}  // namespace

std::pair<std::string, std::string> cdx_files_for(const uint8_t* data, size_t size) {
  if (size < 1) return {};
  const CdxTemplate& tpl = cdx_template(data[0] & 1);
  auto cdx = cdx_for(tpl, data, size);
  return {std::string(tpl.dbf.begin(), tpl.dbf.end()), std::string(cdx.begin(), cdx.end())};
}

void run_cdx(const uint8_t* data, size_t size) {
  if (size < 1) return;
  const int flavour = data[0] & 1;
  const bool write_mode = data[0] & 2;
  const CdxTemplate& tpl = cdx_template(flavour);
  std::vector<uint8_t> cdx = cdx_for(tpl, data, size);
  MemFileSystem fs(kMaxFileSize);
  fs.put(tpl.dbf_path, tpl.dbf.data(), tpl.dbf.size());
  fs.put(tpl.cdx_path, cdx.data(), cdx.size());

  OpenOptions o;
  o.fs = &fs;
  o.read_only = true;
  try_op([&] {
    auto t = Table::open(tpl.dbf_path, o);
    exercise_tags(*t);
    read_all(*t);
    t->close();
  });
  if (fs.read_only_write()) oracle_failure("a table opened read-only was written to", 0);
  if (!write_mode) return;

  o.read_only = false;
  o.exclusive = true;  // pack, reindex and tag changes need it
  std::unique_ptr<Table> t;
  try {
    t = Table::open(tpl.dbf_path, o);
  } catch (const Error&) {
    return;
  }
  const auto& fields = t->fields();
  try_op([&] { t->append(cdx_row(fields, 61)); });
  try_op([&] { t->append(cdx_row(fields, 5)); });  // duplicate keys (UNIQUE tags)
  try_op([&] { t->append(); });
  if (auto name = t->field_index("NAME"))
    try_op([&] { t->update(1, *name, Value::text("Zzz changed")); });
  if (auto id = t->field_index("ID"))
    try_op([&] { t->update(2, *id, Value::integer(-4)); });
  try_op([&] { t->remove(3); });
  try_op([&] { t->recall(4); });
  exercise_tags(*t);
  try_op([&] {
    t->reindex();
    check_tags_verify(*t, "reindex");
  });
  try_op([&] { t->create_tag({"EXTRA", "STR(ID)+NAME", "", false, false, false}); });
  try_op([&] { t->drop_tag("NAME"); });
  try_op([&] {
    t->pack();
    check_tags_verify(*t, "pack");
  });
  exercise_tags(*t);
  try_op([&] { t->close(); });
  if (fs.cap_hit()) oracle_failure("the engine wrote far past the end of a file", 0);
}

std::string memo_input(int flavour, bool write_mode, const std::string& memo_bytes,
                       std::initializer_list<uint32_t> pointers) {
  std::string s;
  s += char((flavour & 3) | (write_mode ? 4 : 0));
  s += char(std::min<size_t>(pointers.size(), 15));
  size_t k = 0;
  for (uint32_t b : pointers) {
    if (k++ == 15) break;
    for (int i = 0; i < 4; ++i) s += char(uint8_t(b >> (8 * i)));
  }
  return s + memo_bytes;
}

void run_dbc_properties(const uint8_t* data, size_t size) {
  const auto parsed = dbc::parse_properties({data, size});
  for (const auto& e : parsed.entries)
    if (e.value.size() > size) std::abort();
  const std::string again = dbc::encode_properties(parsed.entries);
  const auto reparsed = dbc::parse_properties({reinterpret_cast<const uint8_t*>(again.data()), again.size()});
  if (!reparsed.problem.empty() || reparsed.entries.size() != parsed.entries.size()) std::abort();
  for (size_t i = 0; i < parsed.entries.size(); ++i)
    if (reparsed.entries[i].id != parsed.entries[i].id || reparsed.entries[i].kind != parsed.entries[i].kind ||
        reparsed.entries[i].value != parsed.entries[i].value)
      std::abort();

  // A DBC whose table and field records carry the memo, and a member table pointing at it.
  MemFileSystem fs(kMaxFileSize);
  const std::string memo(reinterpret_cast<const char*>(data), size);
  try {
    CreateOptions o;
    o.fs = &fs;
    auto dbc = Table::create("db.dbc",
                             parse_field_list("OBJECTID I, PARENTID I, OBJECTTYPE C(10), OBJECTNAME C(128), "
                                              "PROPERTY M BINARY, CODE M BINARY, RIINFO C(6), USER M"),
                             o);
    const std::string table_props = dbc::encode_properties({{dbc::path, 1, "t.dbf"}});
    auto add = [&](int id, int parent, const char* type, const char* name, const std::string& prop) {
      dbc->append(std::vector<Value>{Value::integer(id), Value::integer(parent), Value::text(type),
                                     Value::text(name), Value::binary(prop), Value::binary(""),
                                     Value::text(""), Value::text("")});
    };
    add(1, 1, "Database", "Database", memo);
    add(2, 1, "Table", "t", table_props + memo);
    add(3, 2, "Field", "long_field_name", memo);
    add(4, 2, "Index", "long_field", memo);
    add(5, 2, "Relation", "Relation 1", memo);
    add(6, 9, "Field", "orphan", memo);
    dbc->close();
    const Database db = Database::read("db.dbc", &fs);
    if (db.tables.size() != 1 || db.tables[0].fields.size() != 1) std::abort();
    CreateOptions m;
    m.fs = &fs;
    m.backlink = "db.dbc";
    Table::create("t.dbf", parse_field_list("LONG_FIELD C(10)"), m)->close();
    OpenOptions r;
    r.fs = &fs;
    auto t = Table::open("t.dbf", r);
    if (t->fields()[0].display_name() != "long_field_name") std::abort();
    t->append(std::vector<Value>{Value::text("x")});
  } catch (const Error&) {
  }
}

}  // namespace xbase::fuzz
