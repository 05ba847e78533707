// interop_writer FOLDER: writes one table per format with the engine, plus FOLDER/expected.json
// describing what the engine was asked to store, for check_python_readers.py to compare with
// what Debian's python3-dbfread and python3-dbf read from the same files.
// interop_writer --dump TABLE: prints what the engine reads from a table (the other direction:
// check_python_writers.py has python3-dbf write tables and compares).
//
// Tables (all codepage 1252, mark 0x03):
//   vfp.dbf      Visual FoxPro: nullable C/I/M first, then C N F D L M I Y T B
//   vfp_var.dbf  Visual FoxPro 9 (0x32): I and varchar V (one nullable)
//   fox2.dbf     FoxPro 2 (0xF5, FPT): C N F D L M
//   db3.dbf      dBASE III (0x83, DBT): C N D L M
//   db4.dbf      dBASE IV (0x8B, DBT with block headers): C N F D L M
//   vfp_packed.dbf, fox2_packed.dbf  rows like the above, then PACK
//   db3_bulk.dbf 500 dBASE III rows appended in write-behind (bulk) mode
// Rows are deterministic: non-ASCII cp1252 text, negative and extreme numbers, blank fields,
// wholly blank records, deleted (and one recalled) records, memos from 0 bytes to 70 KB that
// straddle block boundaries, and updates that move memos (grow) or rewrite them in place (shrink).
// Before writing expected.json the tables are reopened and compared with it through the engine,
// so a mismatch in the Python check points at the readers or at the bytes, not at this program.
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "xbase/table.h"

namespace fs = std::filesystem;
using namespace xbase;

namespace {

// ------------------------------------------------------------------ value generators

// Characters that each take one byte in Windows-1252 (UTF-8 here), so memo sizes in bytes
// are known exactly.
const std::vector<std::string>& alphabet() {
  static const std::vector<std::string> a = {
      "a", "b", "c", "d",  "e",  "f",  "g",  "h",  "i", "j", "k", "l", "m", "n", "o", "p", "q", "r",
      "s", "t", "u", "v",  "w",  "x",  "y",  "z",  "A", "Q", "Z", "0", "1", "7", "9", " ", " ", ".",
      ",", "-", "'", "\"", "\\", "\r", "\n", "\t", "é", "ë", "ï", "ü", "Ö", "ç", "€", "„", "“", "”",
      "™", "œ", "Š", "ß",  "ñ",  "Æ",  "ø",  "Ÿ",  "ž", "•", "…", "°", "±", "µ", "¿"};
  return a;
}

// n one-byte characters (cp1252), deterministic in seed.
std::string text_of(size_t n, uint32_t seed) {
  const auto& a = alphabet();
  std::string s;
  uint32_t x = seed * 2654435761u + 12345;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345;
    s += a[(x >> 16) % a.size()];
  }
  return s;
}

const char* const kNames[] = {
    "Zoë Ångström",    "François Müller", "Jürgen Größ",     "naïve café", "Œuvre ŠŽšžŸ",
    "„quoted“ €100 ™", "ñandú",           "Ærøskøbing",      "Smith",      "  indented",
    "Daniël van Dijk", "Ça va? ¿Sí!",     "O'Brien \"Bob\"", "x"};

Value number_text(const std::string& s) {
  std::string c;
  if (!canonical_decimal(s, c)) throw std::runtime_error("bad decimal " + s);
  return Value::number(c);
}

std::string cents(int64_t v, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  uint64_t a = v < 0 ? uint64_t(0) - uint64_t(v) : uint64_t(v);  // INT64_MIN too
  return fmt::format("{}{}.{:0{}}", v < 0 ? "-" : "", a / uint64_t(scale), a % uint64_t(scale),
                     decimals);
}

Date date_of(int i) {
  if (i == 3) return {2000, 2, 29};
  if (i == 4) return {9999, 12, 31};
  if (i == 6) return {1, 1, 1};
  if (i == 8) return {1899, 12, 31};
  return from_julian_day(julian_day({1900, 1, 1}) + i * 997);
}

// Memo sizes in bytes: around the 64-byte FPT and 512-byte DBT block edges (a memo block holds
// 56 or 504 bytes after the FPT/DBT4 header, 510 before the DBT3 terminator), and large ones.
const size_t kMemoSizes[] = {0,   1,   55,  56,  57,  63,   64,   65,   200,   503,  504,
                             505, 510, 511, 512, 513, 1000, 1016, 4096, 20000, 70000};

// The value the engine is asked to store in field f of row i (1-based).
Value value_for(const Field& f, int i) {
  const std::string& n = f.name;
  if (n == "NAME") return Value::text(i % 7 == 0 ? "" : kNames[i % std::size(kNames)]);
  if (n == "AMOUNT") {
    if (i == 1) return number_text("999999999.99");
    if (i == 2) return number_text("-99999999.99");
    if (i % 11 == 0) return Value::empty();
    return number_text(cents((int64_t(i) * 7919) % 200003 - 100000, 2));
  }
  if (n == "RATIO") {
    if (i % 12 == 0) return Value::empty();
    return number_text(cents((int64_t(i) * 104729) % 2000001 - 1000000, 5));
  }
  if (n == "BORN") return i % 13 == 0 ? Value::empty() : Value::date(date_of(i));
  if (n == "ACTIVE") return i % 3 == 2 ? Value::empty() : Value::logical(i % 3 == 0);
  if (n == "NOTE") return Value::text(text_of(kMemoSizes[size_t(i) % std::size(kMemoSizes)], i));
  if (n == "QTY") {
    if (i == 1) return Value::integer(std::numeric_limits<int32_t>::max());
    if (i == 2) return Value::integer(std::numeric_limits<int32_t>::min());
    return Value::integer((i % 2 ? -1 : 1) * int64_t(i) * i * 37);
  }
  if (n == "PRICE") {
    if (i == 1) return Value::currency(std::numeric_limits<int64_t>::max());
    if (i == 2) return Value::currency(std::numeric_limits<int64_t>::min());
    return Value::currency((int64_t(i) * 1234577 % 20000000 - 10000000) * 3);
  }
  if (n == "STAMP") {
    if (i % 9 == 0) return Value::empty();
    int32_t ms = i == 5 ? 0 : int32_t((int64_t(i) * 3637123) % 86400000);
    if (i == 7) ms = 86399999;
    return Value::datetime({julian_day(date_of(i)), ms});
  }
  if (n == "REAL") {
    static const double r[] = {
        0.0,  -1.5,     3.141592653589793,       1e300, -2.5e-10, 123456789.125,
        -0.0, 4.9e-324, -1.7976931348623157e308, 0.1};
    double x = r[size_t(i) % std::size(r)];
    return Value::real(i > 10 && x > -1e100 && x < 1e100 ? x * i : x);
  }
  if (n == "NC") return i % 4 == 0 ? Value::null() : Value::text(fmt::format("K{:05}é", i * 37));
  if (n == "NI") return i % 5 == 0 ? Value::null() : Value::integer(-3 * i);
  if (n == "NM") {
    if (i % 6 == 0) return Value::null();
    if (i % 6 == 3) return Value::text("");
    return Value::text(fmt::format("nullable memo {} – ", i) + text_of(size_t(i) * 3, i));
  }
  if (n == "ID") return Value::integer(i);
  if (n == "VNAME") {
    if (i % 5 == 0) return Value::text("");
    if (i % 5 == 1) return Value::text(text_of(20, i));  // exactly the width: no length byte
    if (i % 5 == 2) return Value::text("ab  ");          // trailing blanks are data in V
    return Value::text(text_of(size_t(i) % 19 + 1, i));
  }
  if (n == "VNOTE") return i % 3 == 0 ? Value::null() : Value::text(text_of(size_t(i) % 13, i + 7));
  throw std::runtime_error("no generator for field " + n);
}

// What a blank record (Table::append() without values) holds, per reference 2.1.
Value blank_for(const Field& f) {
  switch (f.type) {
    case FieldType::character:
    case FieldType::varchar:
    case FieldType::memo:
      return Value::text("");
    case FieldType::integer:
      return Value::integer(0);
    case FieldType::currency:
      return Value::currency(0);
    case FieldType::double_:
      return Value::real(0.0);
    default:
      return Value::empty();  // N F D L T
  }
}

// ------------------------------------------------------------------ JSON

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        o += "\\\"";
        break;
      case '\\':
        o += "\\\\";
        break;
      case '\n':
        o += "\\n";
        break;
      case '\r':
        o += "\\r";
        break;
      case '\t':
        o += "\\t";
        break;
      default:
        if (c < 0x20)
          o += fmt::format("\\u{:04x}", c);
        else
          o += char(c);
    }
  }
  return o + "\"";
}

std::string json_value(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::null:
      return R"({"k":"null"})";
    case Value::Kind::empty:
      return R"({"k":"empty"})";
    case Value::Kind::text:
      return R"({"k":"text","v":)" + json_str(v.str()) + "}";
    case Value::Kind::binary: {
      std::string hex;
      for (unsigned char c : v.str()) hex += fmt::format("{:02x}", c);
      return R"({"k":"binary","v":")" + hex + "\"}";
    }
    case Value::Kind::number:
      return R"({"k":"number","v":")" + v.str() + "\"}";
    case Value::Kind::integer:
      return fmt::format(R"({{"k":"integer","v":{}}})", v.as_integer());
    case Value::Kind::currency:
      return R"({"k":"currency","v":")" + cents(v.as_integer(), 4) + "\"}";
    case Value::Kind::real:
      return fmt::format(R"({{"k":"real","v":"{}"}})", v.as_real());
    case Value::Kind::date: {
      Date d = v.as_date();
      return fmt::format(R"({{"k":"date","v":"{:04}-{:02}-{:02}"}})", d.year, d.month, d.day);
    }
    case Value::Kind::datetime: {
      DateTime t = v.as_datetime();
      Date d = from_julian_day(t.julian_day);
      int ms = t.millis;
      return fmt::format(R"({{"k":"datetime","v":"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}"}})",
                         d.year, d.month, d.day, ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
                         ms % 1000);
    }
    case Value::Kind::logical:
      return v.as_logical() ? R"({"k":"logical","v":true})" : R"({"k":"logical","v":false})";
  }
  return "null";
}

// ------------------------------------------------------------------ tables

struct Row {
  bool deleted = false;
  std::vector<Value> values;
};

struct Spec {
  std::string file;
  Format format;
  std::string fields;
  int rows;
  bool pack = false;          // pack() at the end: deleted rows go, memos are copied afresh
  bool write_behind = false;  // bulk mode: appended records reach the file in large writes
};

struct Written {
  Spec spec;
  std::vector<Field> fields;
  TableInfo info;
  std::vector<Row> rows;
};

Written write_table(const fs::path& dir, const Spec& spec) {
  CreateOptions co;
  co.format = spec.format;
  co.codepage = 1252;
  co.overwrite = true;
  co.write_behind = spec.write_behind;
  fs::path path = dir / spec.file;
  auto t = Table::create(path, parse_field_list(spec.fields), co);
  Written w;
  w.spec = spec;
  w.fields = t->fields();
  const size_t nf = w.fields.size();
  auto idx = [&](const char* name) { return t->field_index(name); };

  for (int i = 1; i <= spec.rows; ++i) {
    Row r;
    if (i % 17 == 5) {  // a wholly blank record
      t->append();
      for (const auto& f : w.fields) r.values.push_back(blank_for(f));
    } else {
      for (const auto& f : w.fields) r.values.push_back(value_for(f, i));
      t->append(r.values);
    }
    w.rows.push_back(std::move(r));
  }
  // Updates: grow some memos (they move to the end of the memo file), shrink others (rewritten
  // in place), change text and null-ness, delete every 7th record and recall one of them.
  auto set = [&](int i, const char* field, Value v) {
    auto k = idx(field);
    if (!k || i > spec.rows) return;
    t->update(uint32_t(i), *k, v);
    w.rows[size_t(i - 1)].values[*k] = std::move(v);
  };
  for (int i = 1; i <= spec.rows; ++i) {
    if (i % 10 == 1) set(i, "NOTE", Value::text(text_of(3000 + size_t(i), i + 1000)));
    if (i % 10 == 2) set(i, "NOTE", Value::text(text_of(10, i + 2000)));
  }
  set(8, "NAME", Value::text("Ÿvonne Šmit"));
  set(9, "NC", Value::null());
  set(10, "NI", Value::integer(42));
  set(12, "NM", Value::null());
  set(14, "VNAME", Value::text("€"));
  for (int i = 1; i <= spec.rows; ++i)
    if (i % 7 == 3) {
      t->remove(uint32_t(i));
      w.rows[size_t(i - 1)].deleted = true;
    }
  if (spec.rows >= 10) {
    t->recall(10);
    w.rows[9].deleted = false;
  }
  if (spec.pack) {
    t->pack();
    std::erase_if(w.rows, [](const Row& r) { return r.deleted; });
  }
  w.info = t->info();
  t->close();

  // Self-check through the engine.
  OpenOptions oo;
  oo.read_only = true;
  auto rt = Table::open(path, oo);
  if (rt->record_count() != w.rows.size())
    throw std::runtime_error(fmt::format("{}: {} records read back, {} written", spec.file,
                                         rt->record_count(), w.rows.size()));
  for (size_t r = 0; r < w.rows.size(); ++r) {
    Record rec = rt->read(uint32_t(r + 1));
    if (rec.deleted() != w.rows[r].deleted)
      throw std::runtime_error(
          fmt::format("{}: record {}: deleted flag differs", spec.file, r + 1));
    for (size_t f = 0; f < nf; ++f) {
      Value got = rec.get(f);
      const Value& want = w.rows[r].values[f];
      // -0.0 == 0.0 for doubles: compare reals by value.
      bool same = got.kind() == Value::Kind::real && want.kind() == Value::Kind::real
                      ? got.as_real() == want.as_real()
                      : got == want;
      if (!same)
        throw std::runtime_error(fmt::format("{}: record {} field {}: engine reads {} but wrote {}",
                                             spec.file, r + 1, w.fields[f].name, json_value(got),
                                             json_value(want)));
    }
  }
  return w;
}

std::string memo_file_name(const fs::path& dir, const Written& w) {
  if (w.info.memo_path.empty()) return "";
  return fs::path(w.info.memo_path).lexically_relative(dir).string();
}

}  // namespace

// --dump TABLE: the records as the engine reads them, in expected.json's value notation, for
// check_python_writers.py (tables written by python3-dbf, read by the engine).
int dump(const fs::path& path) {
  OpenOptions oo;
  oo.read_only = true;
  auto t = Table::open(path, oo);
  std::string out = "{\n  \"fields\": [";
  for (size_t f = 0; f < t->fields().size(); ++f)
    out += (f ? ", " : "") + json_str(t->fields()[f].name);
  out += fmt::format("],\n  \"codepage\": {},\n  \"warnings\": [", t->info().codepage);
  for (size_t i = 0; i < t->warnings().size(); ++i)
    out += (i ? ", " : "") + json_str(t->warnings()[i].to_string());
  out += "],\n  \"records\": [\n";
  for (uint32_t r = 1; r <= t->record_count(); ++r) {
    Record rec = t->read(r);
    out += fmt::format("    {{\"recno\": {}, \"deleted\": {}, \"values\": [", r,
                       rec.deleted() ? "true" : "false");
    for (size_t f = 0; f < t->fields().size(); ++f) {
      std::string v;
      try {
        v = json_value(rec.get(f));
      } catch (const Error& e) {
        v = R"({"k":"error","v":)" + json_str(e.what()) + "}";
      }
      out += (f ? ", " : "") + v;
    }
    out += std::string("]}") + (r < t->record_count() ? "," : "") + "\n";
  }
  out += "  ]\n}\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--dump") {
    try {
      return dump(argv[2]);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "interop_writer: %s\n", e.what());
      return 1;
    }
  }
  if (argc != 2) {
    std::fprintf(stderr, "usage: interop_writer FOLDER | interop_writer --dump TABLE\n");
    return 2;
  }
  try {
    fs::path dir = argv[1];
    fs::create_directories(dir);

    const std::vector<Spec> specs = {
        {"vfp.dbf", Format::vfp,
         "NC C(12) NULL, NI I NULL, NM M NULL, NAME C(30), AMOUNT N(12,2), RATIO F(15,5), "
         "BORN D, ACTIVE L, NOTE M, QTY I, PRICE Y, STAMP T, REAL B",
         64},
        {"vfp_var.dbf", Format::vfp, "ID I, VNAME V(20), VNOTE V(12) NULL", 30},
        {"fox2.dbf", Format::fox2,
         "NAME C(30), AMOUNT N(12,2), RATIO F(15,5), BORN D, ACTIVE L, NOTE M", 64},
        {"db3.dbf", Format::dbase3, "NAME C(30), AMOUNT N(12,2), BORN D, ACTIVE L, NOTE M", 64},
        {"db4.dbf", Format::dbase4,
         "NAME C(30), AMOUNT N(12,2), RATIO F(15,5), BORN D, ACTIVE L, NOTE M", 64},
        // The same kinds of rows after PACK, and loaded in bulk (write-behind).
        {"vfp_packed.dbf", Format::vfp,
         "NC C(12) NULL, NI I NULL, NM M NULL, NAME C(30), AMOUNT N(12,2), NOTE M, STAMP T", 40,
         true},
        {"fox2_packed.dbf", Format::fox2, "NAME C(30), AMOUNT N(12,2), NOTE M", 40, true},
        {"db3_bulk.dbf", Format::dbase3, "NAME C(30), AMOUNT N(12,2), BORN D, ACTIVE L, NOTE M",
         500, false, true},
    };
    // Files of an earlier run go first (only ours: same stem as a table, or expected.json), so
    // the folder holds exactly what expected.json lists.
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string stem = e.path().stem().string();
      bool ours = e.path().filename() == "expected.json";
      for (const auto& s : specs) ours |= fs::path(s.file).stem() == stem;
      if (ours && e.is_regular_file()) fs::remove(e.path());
    }
    std::string out = "{\n  \"tables\": [\n";
    for (size_t s = 0; s < specs.size(); ++s) {
      Written w = write_table(dir, specs[s]);
      out += fmt::format("    {{\n      \"file\": {},\n      \"memo\": {},\n",
                         json_str(w.spec.file), json_str(memo_file_name(dir, w)));
      out += fmt::format(
          "      \"format\": \"{}\",\n      \"version\": {},\n      \"codepage_mark\": {},\n",
          format_name(w.spec.format), w.info.version, w.info.codepage_mark);
      out += "      \"fields\": [\n";
      for (size_t f = 0; f < w.fields.size(); ++f) {
        const Field& fd = w.fields[f];
        out += fmt::format(
            "        {{\"name\": \"{}\", \"type\": \"{}\", \"length\": {}, \"decimals\": {}, "
            "\"offset\": {}, \"nullable\": {}, \"binary\": {}}}{}\n",
            fd.name, char(fd.type), fd.length, fd.decimals, fd.offset,
            fd.nullable ? "true" : "false", fd.binary ? "true" : "false",
            f + 1 < w.fields.size() ? "," : "");
      }
      out += "      ],\n      \"records\": [\n";
      for (size_t r = 0; r < w.rows.size(); ++r) {
        out += fmt::format("        {{\"recno\": {}, \"deleted\": {}, \"values\": [", r + 1,
                           w.rows[r].deleted ? "true" : "false");
        for (size_t f = 0; f < w.rows[r].values.size(); ++f)
          out += (f ? ", " : "") + json_value(w.rows[r].values[f]);
        out += std::string("]}") + (r + 1 < w.rows.size() ? "," : "") + "\n";
      }
      out += std::string("      ]\n    }") + (s + 1 < specs.size() ? "," : "") + "\n";
    }
    out += "  ]\n}\n";
    std::ofstream f(dir / "expected.json", std::ios::binary | std::ios::trunc);
    f << out;
    if (!f) throw std::runtime_error("cannot write expected.json");
    std::printf("wrote %zu tables and expected.json to %s\n", specs.size(), dir.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "interop_writer: %s\n", e.what());
    return 1;
  }
}
