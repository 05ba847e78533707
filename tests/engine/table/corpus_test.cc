// Walks every table in shared/corpus (files written by many other programs). Each one either
// opens and every field of every record reads with Table::get_tolerant, or Table::open refuses
// it with an xbase::Error naming the file. The list below says which, and why. Where Debian's
// python3-dbfread can read a file, its record counts and values are a second opinion.
#include <fmt/format.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "test_util.h"
#include "xbase/codepage.h"
#include "xbase/table.h"

namespace {

namespace fs = std::filesystem;
using xbase::FieldType;
using xbase::Value;
using xbase::test::read_file;
using xbase::test::shared_dir;
using xbase::test::split;

enum class Outcome { opens, refused };

// What dbfread (2.0.7, Debian) makes of a file.
enum class Dbfread {
  agrees,  // reads it; counts and sampled values must equal ours
  fails,   // raises an error on it (the reason is in `why`); nothing to compare
  skip,    // reads it, but differently for a documented reason: not compared
};

struct Expectation {
  std::string_view path;  // under shared/corpus
  Outcome outcome;
  uint32_t records = 0;   // opens: the record count we must read
  size_t bad_values = 0;  // opens: values get_tolerant must turn into null + a warning
  Dbfread dbfread = Dbfread::agrees;
  std::string_view why;  // why it is refused / why values are bad / why dbfread differs
};

constexpr auto opens = Outcome::opens;
constexpr auto refused = Outcome::refused;

constexpr Expectation ok(std::string_view path, uint32_t records, size_t bad_values = 0,
                         Dbfread dbfread = Dbfread::agrees, std::string_view why = {}) {
  return Expectation{path, opens, records, bad_values, dbfread, why};
}
constexpr Expectation no(std::string_view path, Dbfread dbfread, std::string_view why) {
  return Expectation{path, refused, 0, 0, dbfread, why};
}

// Record counts are the header's (bytes 4-7), which for every opened file also equals what the
// file size holds, unless the comment says otherwise.
const Expectation kCorpus[] = {
    // --- CodeBase (dBASE III / FoxPro 2 / VFP tables written by CodeBase)
    ok("MPSystemsServices__CodeBase-for-DBF/CodeBaseServer2020/development/CBLatest/server/"
       "PRIV4.dbf",
       0),
    ok("MPSystemsServices__CodeBase-for-DBF/CodeBaseServer2020/development/CBLatest/server/"
       "s4server.dbf",
       1),
    ok("MPSystemsServices__CodeBase-for-DBF/CodeBaseServer2020/development/SpeedDemo/CB6DEMO.DBF",
       1000),
    ok("MPSystemsServices__CodeBase-for-DBF/CodeBaseServer2020/development/SpeedDemo/VER1/"
       "CB6DEMO.DBF",
       39000),
    ok("MPSystemsServices__CodeBase-for-DBF/CodeBaseServer2020/development/cblinux/table1.dbf", 8),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/DATA1.DBF", 2),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/DATA3.DBF", 3),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/DATEFILE.DBF", 2),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/ENROLL.DBF", 51, 0, Dbfread::fails,
       "CodeBase wrote MARK N(6,2) as \"0   . \"; we read 0, dbfread's float() refuses it"),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/EXAMPLE.DBF", 4),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/FOXUSER.DBF", 7),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/NAMES.DBF", 59),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/PEOPLE.DBF", 2),
    ok("MPSystemsServices__CodeBase-for-DBF/examples/DATA/STUDENT.DBF", 18),
    // --- shapelib (ArcView exports)
    ok("OSGeo__shapelib/tests/shape_eg_data/3dpoints.dbf", 22),  // no 0x0D terminator
    ok("OSGeo__shapelib/tests/shape_eg_data/CoHI_GCS12.dbf", 4),
    ok("OSGeo__shapelib/tests/shape_eg_data/anno.dbf", 201),
    ok("OSGeo__shapelib/tests/shape_eg_data/mexico/cities.dbf", 36),
    ok("OSGeo__shapelib/tests/shape_eg_data/mexico/roads.dbf", 105),
    ok("OSGeo__shapelib/tests/shape_eg_data/multipatch.dbf", 1),
    // LENGTH F(13,3) holds exponent notation ("1.3945052E+02"); read as the exact decimal.
    ok("OSGeo__shapelib/tests/shape_eg_data/pline.dbf", 460),
    // --- javadbf test resources
    ok("albfernandez__javadbf/src/test/resources/bdays.dbf", 1),
    // books.fpt is missing: the table opens, and the 9 records with a NOTES pointer (the 10th
    // is 0) fail to read that memo.
    ok("albfernandez__javadbf/src/test/resources/books.dbf", 10, 9),
    no("albfernandez__javadbf/src/test/resources/bug-102/bug102.dbf", Dbfread::fails,
       "dBASE 7 (0x8C, 48-byte descriptors) is not supported"),
    ok("albfernandez__javadbf/src/test/resources/bug-115/bug115.dbf", 615),
    // javadbf rewrote the header without room for the VFP backlink (header length 705 instead
    // of 968) and wrote the record 262 bytes later: the header says 1 record, the file size
    // holds 2 at the stated offsets, and they are misaligned (an all-NUL one, then one whose
    // EXCESS and DC do not decode). We read what the header describes and warn about the
    // count; reading it right would take guessing the real data offset (a known limitation).
    ok("albfernandez__javadbf/src/test/resources/bug-33-corrupted-file-sync-mode/"
       "myfileafter-corrupted.dbf",
       2, 2, Dbfread::fails, "dbfread stops at the invalid date b'009     '"),
    ok("albfernandez__javadbf/src/test/resources/bug-33-corrupted-file-sync-mode/myfilebefore.dbf",
       0),
    ok("albfernandez__javadbf/src/test/resources/bug-37/agencias.dbf", 0),
    ok("albfernandez__javadbf/src/test/resources/bug-46-zero_field_count/a3.dbf", 1),
    // student.dbt is missing: 5 memo pointers (3 ADDRESS, 2 IMAGE) cannot be followed.
    ok("albfernandez__javadbf/src/test/resources/bug-49/student.dbf", 3, 5),
    ok("albfernandez__javadbf/src/test/resources/bug-56-index-out-of-bounds/56-testdata.dbf", 1),
    ok("albfernandez__javadbf/src/test/resources/bug-60-fieldlength/060.dbf", 1),
    ok("albfernandez__javadbf/src/test/resources/bug-77-no-header-record-terminator/"
       "continents-null-header-record-terminator.dbf",
       7, 0, Dbfread::fails, "dbfread needs the 0x0D terminator"),
    ok("albfernandez__javadbf/src/test/resources/bug-77-no-header-record-terminator/"
       "continents_no_header_record_terminator.dbf",
       7, 0, Dbfread::fails, "dbfread needs the 0x0D terminator"),
    ok("albfernandez__javadbf/src/test/resources/bug93_null_field/testfile.dbf", 13),
    // FLUGHOEHE is C(8) with decimals byte 2; the field lengths add up to the record length, so
    // it is not a Clipper long field (javadbf bug 64 read it as 8 + 2 * 256).
    ok("albfernandez__javadbf/src/test/resources/bug_64_excel_dbf/"
       "wrong-exented-character-field.dbf",
       16, 0, Dbfread::fails, "dbfread misreads the C(8,2) field and then a number"),
    no("albfernandez__javadbf/src/test/resources/dbc-files/sids.dbc", Dbfread::skip,
       "DATASUS compressed .dbc: DBF header, then PKWare DCL-imploded records"),
    ok("albfernandez__javadbf/src/test/resources/dbc-files/sids.dbf", 100),
    no("albfernandez__javadbf/src/test/resources/dbc-files/storm.dbc", Dbfread::skip,
       "DATASUS compressed .dbc: DBF header, then PKWare DCL-imploded records"),
    ok("albfernandez__javadbf/src/test/resources/dbc-files/storm.dbf", 100),
    no("albfernandez__javadbf/src/test/resources/fixtures/dbase_7.dbf", Dbfread::fails,
       "dBASE 7 (0x8C, 48-byte descriptors) is not supported"),
    ok("albfernandez__javadbf/src/test/resources/fixtures/foxpro-xsource/employees.dbf", 5),
    ok("albfernandez__javadbf/src/test/resources/fixtures/foxpro-xsource/foxref_ref.dbf", 79),
    ok("albfernandez__javadbf/src/test/resources/fixtures/foxpro-xsource/payments.dbf", 5),
    // A VFP database container is itself a VFP table; its memo file is FOXPRO-DB-TEST.DCT.
    ok("albfernandez__javadbf/src/test/resources/fixtures/foxprodb/FOXPRO-DB-TEST.DBC", 58, 0,
       Dbfread::skip, "dbfread looks for a .FPT memo and reads the memo fields as None"),
    ok("albfernandez__javadbf/src/test/resources/gbk.dbf", 28),  // mark 0x7A: GBK text
    no("albfernandez__javadbf/src/test/resources/inventory.dbf", Dbfread::fails,
       "dBASE 7 (0x8C, 48-byte descriptors) is not supported"),
    // DOUBLE2 has type 'O' (dBASE 7 double) in a VFP table: read raw, with a warning.
    ok("albfernandez__javadbf/src/test/resources/numbers2.dbf", 8, 0, Dbfread::fails,
       "dbfread rejects the logical byte '1' javadbf wrote"),
    ok("albfernandez__javadbf/src/test/resources/provincias_es.dbf", 52),
    no("albfernandez__javadbf/src/test/resources/test_delete.dbf", Dbfread::fails,
       "dBASE 7 (0x04, 48-byte descriptors) is not supported"),
    // --- Harbour
    ok("harbour__core/contrib/hbhttpd/tests/carts.dbf", 0),
    ok("harbour__core/contrib/hbhttpd/tests/items.dbf", 29),
    ok("harbour__core/contrib/hbhttpd/tests/users.dbf", 0),
    ok("harbour__core/extras/gfspell/words.dbf", 60247), ok("harbour__core/tests/test.dbf", 500),
    // --- dbfread's own examples
    ok("olemb__dbfread/examples/files/invalid_value.dbf", 3, 1, Dbfread::fails,
       "BIRTHDATE \"NotAYear\" is not a date (our one bad value; dbfread raises)"),
    ok("olemb__dbfread/examples/files/people.dbf", 3),
    ok("olemb__dbfread/tests/cases/memotest.dbf", 3),
    // --- dbase-rs test data
    ok("tmontaigu__dbase-rs/tests/data/KUNDEN-schema-only.DBF", 0),
    // VALUE_F_NON and VALUE_N_NON are filled with '*' (overflow when written): reference 7.9
    // says return null or an error, never 0, so they are our 2 bad values. dbfread strips the
    // '*' and returns None, which agrees with the null get_tolerant gives.
    ok("tmontaigu__dbase-rs/tests/data/contain_none_float.dbf", 1, 2),
    ok("tmontaigu__dbase-rs/tests/data/contain_null_padded_numeric.dbf", 1, 0, Dbfread::fails,
       "\"1234.   ...\\0\\0\\0\\0\": dbfread's float() refuses the NULs"),
    ok("tmontaigu__dbase-rs/tests/data/cp850.dbf", 1),  // mark says 1252, text is cp850
    ok("tmontaigu__dbase-rs/tests/data/cp936.dbf", 1),  // mark 0x4D: GBK
    ok("tmontaigu__dbase-rs/tests/data/stations.dbf", 86),
    // The header's record length (1016) leaves out the deletion flag; records are 1017 bytes
    // apart, as the fields say. dbfread reads fields with the field lengths but skips records
    // with the header's length, so its deleted/active split is off.
    ok("tmontaigu__dbase-rs/tests/data/stations_with_deleted.dbf", 6, 0, Dbfread::skip,
       "dbfread skips with the header's record length"),
    // --- DBFFile (node) fixtures
    ok("yortus__DBFFile/test/fixtures/PYACFL.DBF", 45),
    ok("yortus__DBFFile/test/fixtures/WSPMST.DBF", 6802),
    ok("yortus__DBFFile/test/fixtures/dbase_03.dbf", 14),
    ok("yortus__DBFFile/test/fixtures/dbase_03_fixed.dbf", 14),
    ok("yortus__DBFFile/test/fixtures/dbase_31.dbf", 77),
    ok("yortus__DBFFile/test/fixtures/dbase_83.dbf", 67),
    ok("yortus__DBFFile/test/fixtures/dbase_8b.dbf", 10),
    ok("yortus__DBFFile/test/fixtures/dbase_currency.dbf", 2),    // mark 0x7C: cp874
    ok("yortus__DBFFile/test/fixtures/dbase_not_latin1.dbf", 2),  // mark 0, Big5 text
    ok("yortus__DBFFile/test/fixtures/vfp9_30.dbf", 3),
    ok("yortus__DBFFile/test/fixtures/vfp9_30_memo.dbf", 3),
    ok("yortus__DBFFile/test/fixtures/vfp9_memo_bs1.dbf", 5),  // FPT block size 1
};

fs::path corpus_dir() { return shared_dir() / "corpus"; }

std::vector<std::string> corpus_tables() {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(corpus_dir())) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    for (auto& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".dbf" || ext == ".dbc")
      out.push_back(fs::relative(e.path(), corpus_dir()).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::unique_ptr<xbase::Table> open_read_only(const std::string& rel, int codepage = 0) {
  xbase::OpenOptions o;
  o.read_only = true;
  o.codepage = codepage;
  return xbase::Table::open(corpus_dir() / rel, o);
}

std::string from_hex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out += char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16));
  return out;
}

std::string python_codec(int codepage) {
  return codepage == 65001 ? "utf-8" : fmt::format("cp{}", codepage);
}

}  // namespace

TEST_CASE("the corpus expectation list names every corpus table", "[engine][corpus]") {
  std::vector<std::string> listed;
  for (const auto& e : kCorpus) listed.emplace_back(e.path);
  std::sort(listed.begin(), listed.end());
  CHECK(std::adjacent_find(listed.begin(), listed.end()) == listed.end());
  auto on_disk = corpus_tables();
  CHECK(on_disk.size() >= 70);
  CHECK(listed == on_disk);
}

TEST_CASE("every corpus table opens and reads, or is refused naming the file", "[engine][corpus]") {
  for (const auto& e : kCorpus) {
    const std::string rel(e.path);
    const fs::path p = corpus_dir() / rel;
    INFO(rel << (e.why.empty() ? "" : " — ") << e.why);
    if (e.outcome == refused) {
      try {
        auto t = open_read_only(rel);
        FAIL_CHECK("opened, but must be refused");
      } catch (const xbase::Error& err) {
        CHECK_THAT(err.what(), Catch::Contains(p.string()));
        CHECK(err.where().file == p.string());
        CHECK((err.code() == xbase::Errc::format || err.code() == xbase::Errc::unsupported));
      }
      continue;
    }
    std::unique_ptr<xbase::Table> t;
    try {
      t = open_read_only(rel);
    } catch (const xbase::Error& err) {
      FAIL_CHECK("refused, but must open: " << err.what());
      continue;
    }
    CHECK(t->record_count() == e.records);
    CHECK_FALSE(t->fields().empty());
    const size_t open_warnings = t->warnings().size();
    size_t values = 0;
    for (uint32_t r = 1; r <= t->record_count(); ++r) {
      auto rec = t->read(r);
      for (size_t f = 0; f < t->fields().size(); ++f, ++values) (void)t->get_tolerant(rec, f);
    }
    CHECK(values == size_t(t->record_count()) * t->fields().size());
    CHECK(t->warnings().size() - open_warnings == e.bad_values);
    // Every warning names the file it is about: the table or one of its companions.
    auto stem_of = [](const std::string& f) {
      std::string s = fs::path(f).stem().string();
      for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    for (const auto& w : t->warnings()) CHECK(stem_of(w.where.file) == stem_of(p.string()));
    // Reading past the end is an error, not a crash.
    CHECK_THROWS_AS(t->read(t->record_count() + 1), xbase::Error);
  }
}

TEST_CASE("corpus values that need tolerant decoding read right", "[engine][corpus]") {
  SECTION("CodeBase \"0   . \" is zero") {
    auto t = open_read_only("MPSystemsServices__CodeBase-for-DBF/examples/DATA/ENROLL.DBF");
    size_t mark = t->field_index_or_throw("MARK");
    for (uint32_t r = 1; r <= t->record_count(); ++r) {
      Value v = t->read(r).get(mark);
      REQUIRE(v.kind() == Value::Kind::number);
      CHECK(v.as_real() == 0.0);
    }
    CHECK(t->read(1).get("STU_ID_TAG") == Value::number("654321"));
  }
  SECTION("exponent notation in an F field becomes the exact decimal") {
    auto t = open_read_only("OSGeo__shapelib/tests/shape_eg_data/pline.dbf");
    CHECK(t->read(1).raw(t->field_index_or_throw("LENGTH")) == "1.3945052E+02");
    CHECK(t->read(1).get("LENGTH") == Value::number("139.45052"));
    CHECK(t->read(2).get("LENGTH") == Value::number("158.03342"));
  }
  SECTION("NUL-padded numeric text") {
    auto t = open_read_only("tmontaigu__dbase-rs/tests/data/contain_null_padded_numeric.dbf");
    CHECK(t->read(1).get(0) == Value::number("1234"));
  }
  SECTION("'*'-filled numbers are bad values, not zero") {
    auto t = open_read_only("tmontaigu__dbase-rs/tests/data/contain_none_float.dbf");
    auto rec = t->read(1);
    for (const char* name : {"VALUE_F_NON", "VALUE_N_NON"}) {
      INFO(name);
      try {
        (void)rec.get(name);
        FAIL_CHECK("decoded");
      } catch (const xbase::Error& e) {
        CHECK(e.code() == xbase::Errc::bad_value);
        CHECK(e.where().field == name);
        CHECK(e.where().record == 1u);
      }
      CHECK(t->get_tolerant(rec, t->field_index_or_throw(name)).is_null());
    }
  }
  SECTION("a record length one short of the fields is read with the fields' layout") {
    auto t = open_read_only("tmontaigu__dbase-rs/tests/data/stations_with_deleted.dbf");
    CHECK(t->info().record_length == 1017);
    CHECK(t->read(1).deleted());
    CHECK(t->read(1).get("name") == Value::text("Van Dorn Street"));
    CHECK(t->read(2).get("name") == Value::text("Franconia-Springfield"));
    CHECK(t->read(6).get("name") == Value::text("Metro Center"));
    CHECK(t->read(2).get("marker-col") == Value::text("#0000ff"));
    CHECK_FALSE(t->read(6).deleted());
  }
  SECTION("C(8) with a decimals byte is still 8 wide when the lengths add up") {
    auto t = open_read_only(
        "albfernandez__javadbf/src/test/resources/bug_64_excel_dbf/"
        "wrong-exented-character-field.dbf");
    const auto& f = t->fields()[*t->field_index("FLUGHOEHE")];
    CHECK(f.length == 8);
    CHECK(t->read(5).get("END_KORR") == Value::number("600.00"));
    CHECK(t->read(1).get("GERADEAUS") == Value::number("25710.59"));
    CHECK(t->read(1).get("KURSAENDER") == Value::number("1.0000"));
  }
  SECTION("a header count the file size contradicts is reported") {
    auto t = open_read_only(
        "albfernandez__javadbf/src/test/resources/bug-33-corrupted-file-sync-mode/"
        "myfileafter-corrupted.dbf");
    CHECK(t->info().header_count == 1);
    CHECK(t->info().count_by_size == 2);
    bool warned = false;
    for (const auto& w : t->warnings())
      warned |= w.where.offset == 4u && w.message.find("header says 1") != std::string::npos;
    CHECK(warned);
  }
  SECTION("a database container finds its .DCT memo file") {
    auto t = open_read_only(
        "albfernandez__javadbf/src/test/resources/fixtures/foxprodb/FOXPRO-DB-TEST.DBC");
    for (const auto& w : t->warnings()) CHECK(w.message.find("memo") == std::string::npos);
    CHECK(fs::path(t->info().memo_path).filename() == "FOXPRO-DB-TEST.DCT");
    size_t nonempty = 0;
    size_t prop = t->field_index_or_throw("PROPERTY");
    for (uint32_t r = 1; r <= t->record_count(); ++r) {
      Value v = t->read(r).get(prop);
      REQUIRE((v.kind() == Value::Kind::binary || v.kind() == Value::Kind::text));
      nonempty += !v.str().empty();
    }
    CHECK(nonempty > 0);
  }
  SECTION("missing memo files leave the table readable") {
    auto t = open_read_only("albfernandez__javadbf/src/test/resources/books.dbf");
    CHECK(t->info().memo_path.empty());
    auto rec = t->read(1);
    try {
      (void)rec.get("NOTES");
      FAIL_CHECK("a memo was read from a missing memo file");
    } catch (const xbase::Error& e) {
      CHECK(e.code() == xbase::Errc::not_found);
    }
    CHECK(t->get_tolerant(rec, t->field_index_or_throw("NOTES")).is_null());
    CHECK(rec.get("TITLE").kind() == Value::Kind::text);  // the other fields read normally
  }
}

TEST_CASE("the caller chooses the codepage when the mark is 0 or wrong", "[engine][corpus]") {
  SECTION("mark 0x03 with cp850 text") {
    const std::string rel = "tmontaigu__dbase-rs/tests/data/cp850.dbf";
    CHECK(open_read_only(rel)->info().codepage == 1252);
    auto t = open_read_only(rel, 850);
    CHECK(t->info().codepage == 850);
    CHECK(t->read(1).get("TEXT") == Value::text("Äöü!§$%&/"));
  }
  SECTION("GBK by mark") {
    auto t = open_read_only("tmontaigu__dbase-rs/tests/data/cp936.dbf");
    CHECK(t->info().codepage == 936);
    CHECK(t->read(1).get(0) == Value::text("测试中文"));
  }
  SECTION("mark 0 with Big5 text") {
    const std::string rel = "yortus__DBFFile/test/fixtures/dbase_not_latin1.dbf";
    auto t = open_read_only(rel, 950);
    bool found = false;
    for (uint32_t r = 1; r <= t->record_count(); ++r)
      found |= t->read(r).get(2) == Value::text("台北縣永和");
    CHECK(found);
  }
}

namespace {

// Reads the listed tables with dbfread and prints, per file, "F <rel> ok <active> <deleted>" or
// "F <rel> err <reason>", then "V <rel> <k> <field#> <name-hex> <value>" for the first records
// whose deletion flag is ' ' (dbfread skips the others).
constexpr const char* kDbfreadScript = R"PY(
import codecs, datetime, decimal, os, sys
import dbfread

# Windows (and our engine) map the five bytes cp1252 leaves undefined to the C1 controls of the
# same number; Python's codec refuses them. Do as Windows does.
codecs.register_error('same_number', lambda e: (chr(e.object[e.start]), e.start + 1))

corpus, listing, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])

def put(v):
    if v is None: return 'none:'
    if isinstance(v, bool): return 'b:%d' % v
    if isinstance(v, int): return 'i:%d' % v
    if isinstance(v, float): return 'f:' + repr(v)
    if isinstance(v, decimal.Decimal): return 'y:%d' % int(v * 10000)
    if isinstance(v, str): return 's:' + v.encode('utf-8').hex()
    if isinstance(v, bytes): return 'x:' + v.hex()
    if isinstance(v, datetime.datetime):
        ms = ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + v.microsecond // 1000
        return 't:%s:%d' % (v.strftime('%Y%m%d'), ms)
    if isinstance(v, datetime.date): return 'd:' + v.strftime('%Y%m%d')
    return 'other:'

for line in open(listing, encoding='utf-8'):
    rel, codec = line.rstrip('\n').split('\t')
    try:
        t = dbfread.DBF(os.path.join(corpus, rel), encoding=codec, recfactory=None,
                        ignore_missing_memofile=True, char_decode_errors='same_number')
        out, k = [], 0
        for rec in t.records:
            if k < limit:
                for i, (name, v) in enumerate(rec):
                    out.append('V\t%s\t%d\t%d\t%s\t%s' % (rel, k, i, name.encode('utf-8').hex(), put(v)))
            k += 1
        deleted = sum(1 for _ in t.deleted)
        print('F\t%s\tok\t%d\t%d' % (rel, k, deleted))
        if out: print('\n'.join(out))
    except Exception as e:
        msg = (type(e).__name__ + ': ' + str(e)).replace('\t', ' ').replace('\n', ' ')
        print('F\t%s\terr\t%s' % (rel, msg))
)PY";

constexpr int kSampleRecords = 200;

struct DbfreadFile {
  bool ok = false;
  std::string error;
  uint32_t active = 0, deleted = 0;
  // [k][field#] -> value text, for the k-th record whose flag is ' '
  std::vector<std::map<size_t, std::string>> values;
};

// Compares one of our values with dbfread's. Returns "" when they agree or the type is not
// compared, else a description. `compared` counts the comparisons made.
std::string compare(const xbase::Field& f, const Value& ours, const std::string& theirs, bool memos,
                    size_t& compared) {
  auto colon = theirs.find(':');
  std::string tag = theirs.substr(0, colon), val = theirs.substr(colon + 1);
  auto say = [&](const std::string& what) {
    return fmt::format("{}: ours {} {}, dbfread {}", f.name, kind_name(ours.kind()), what, theirs);
  };
  switch (f.type) {
    case FieldType::character:
      if (f.binary) return "";  // dbfread decodes binary C fields as text
      ++compared;
      if (tag != "s" || ours.kind() != Value::Kind::text || ours.str() != from_hex(val))
        return say(ours.kind() == Value::Kind::text ? "\"" + ours.str() + "\"" : "");
      return "";
    case FieldType::numeric:
    case FieldType::floating:
    case FieldType::double_:
      if (f.type == FieldType::double_ && ours.kind() != Value::Kind::real) return "";  // dBASE B
      ++compared;
      // dbfread strips '*' and says None; get_tolerant says null for the same overflow marks.
      if (tag == "none") return ours.is_empty() || ours.is_null() ? "" : say("");
      if (tag == "i" && ours.kind() == Value::Kind::number)
        return ours.str() == val ? "" : say(ours.str());
      if (tag == "f" && (ours.kind() == Value::Kind::number || ours.kind() == Value::Kind::real)) {
        double mine = ours.kind() == Value::Kind::real ? ours.as_real()
                                                       : std::strtod(ours.str().c_str(), nullptr);
        return mine == std::strtod(val.c_str(), nullptr) ? "" : say(fmt::format("{}", mine));
      }
      return say("");
    case FieldType::integer:
      ++compared;
      return tag == "i" && ours.kind() == Value::Kind::integer &&
                     std::to_string(ours.as_integer()) == val
                 ? ""
                 : say("");
    case FieldType::currency:
      ++compared;
      return tag == "y" && ours.kind() == Value::Kind::currency &&
                     std::to_string(ours.as_integer()) == val
                 ? ""
                 : say("");
    case FieldType::date:
      ++compared;
      if (tag == "none") return ours.is_empty() ? "" : say("");
      if (tag != "d" || ours.kind() != Value::Kind::date) return say("");
      return fmt::format("{:04}{:02}{:02}", ours.as_date().year, ours.as_date().month,
                         ours.as_date().day) == val
                 ? ""
                 : say("");
    case FieldType::datetime: {
      ++compared;
      if (tag == "none") return ours.is_empty() ? "" : say("");
      if (tag != "t" || ours.kind() != Value::Kind::datetime) return say("");
      auto d = xbase::from_julian_day(ours.as_datetime().julian_day);
      return fmt::format("{:04}{:02}{:02}:{}", d.year, d.month, d.day, ours.as_datetime().millis) ==
                     val
                 ? ""
                 : say("");
    }
    case FieldType::logical:
      ++compared;
      if (tag == "none") return ours.is_empty() ? "" : say("");
      return tag == "b" && ours.kind() == Value::Kind::logical && ours.as_logical() == (val == "1")
                 ? ""
                 : say("");
    case FieldType::memo:
    case FieldType::general:
    case FieldType::picture:
    case FieldType::blob:
      if (!memos || tag == "none" || ours.is_null()) return "";  // memo file missing: both give up
      ++compared;
      if ((tag == "s" && ours.kind() == Value::Kind::text) ||
          (tag == "x" && ours.kind() == Value::Kind::binary))
        return ours.str() == from_hex(val) ? ""
                                           : say(fmt::format("of {} bytes", ours.str().size()));
      // dbfread decides text/binary by the FPT block type, we by the field type and flags:
      // compare the bytes.
      if (tag == "x" && ours.kind() == Value::Kind::text) return "";
      if (tag == "s" && ours.kind() == Value::Kind::binary) return "";
      return say("");
    default:
      return "";  // V (dbfread ignores the length bits), Q, unknown types: not compared
  }
}

}  // namespace

TEST_CASE("record counts and values agree with python3-dbfread", "[engine][corpus][dbfread]") {
  // Debian's python3-dbfread, through /usr/bin/python3 (other pythons on PATH may lack it).
  const char* python = "/usr/bin/python3";
  REQUIRE(std::system(fmt::format("{} -c 'import dbfread' 2>/dev/null", python).c_str()) == 0);

  xbase::test::TempDir tmp;
  std::map<std::string, int> codepages;  // tables we open -> the codepage we read them with
  {
    std::ostringstream listing;
    for (const auto& e : kCorpus) {
      if (e.outcome != opens || e.dbfread == Dbfread::skip) continue;
      int cp = open_read_only(std::string(e.path))->info().codepage;
      codepages[std::string(e.path)] = cp;
      listing << e.path << '\t' << python_codec(cp) << '\n';
    }
    xbase::test::write_file(tmp / "listing.txt", listing.str());
    xbase::test::write_file(tmp / "read.py", kDbfreadScript);
  }
  const std::string cmd =
      fmt::format("{} {} {} {} {} > {} 2> {}", python, (tmp / "read.py").string(),
                  corpus_dir().string(), (tmp / "listing.txt").string(), kSampleRecords,
                  (tmp / "out.txt").string(), (tmp / "err.txt").string());
  INFO(cmd);
  REQUIRE(std::system(cmd.c_str()) == 0);

  std::map<std::string, DbfreadFile> theirs;
  {
    std::istringstream in(read_file(tmp / "out.txt"));
    std::string line;
    while (std::getline(in, line)) {
      auto c = split(line, '\t');
      if (c[0] == "F") {
        REQUIRE(c.size() >= 4);
        auto& d = theirs[c[1]];
        d.ok = c[2] == "ok";
        if (d.ok) {
          d.active = uint32_t(std::stoul(c[3]));
          d.deleted = uint32_t(std::stoul(c[4]));
        } else {
          d.error = c[3];
        }
      } else if (c[0] == "V") {
        REQUIRE(c.size() == 6);
        auto& d = theirs[c[1]];
        size_t k = std::stoul(c[2]);
        if (d.values.size() <= k) d.values.resize(k + 1);
        d.values[k][std::stoul(c[3])] = c[5];
      }
    }
  }

  size_t files_compared = 0, values_compared = 0;
  for (const auto& e : kCorpus) {
    const std::string rel(e.path);
    if (!codepages.count(rel)) continue;
    INFO(rel);
    REQUIRE(theirs.count(rel));
    const auto& d = theirs[rel];
    if (e.dbfread == Dbfread::fails) {
      // If dbfread learns to read it, move the file to `agrees` (or `skip`, saying why).
      CHECK_FALSE(d.ok);
      continue;
    }
    if (!d.ok) {
      FAIL_CHECK("dbfread failed: " << d.error);
      continue;
    }
    ++files_compared;
    auto t = open_read_only(rel);
    // dBASE IV memo blocks store their length including the 8-byte block header (reference
    // 3.3); dbfread reads `length` bytes after the header and cuts at 0x1F, so it returns 8
    // bytes too many where no 0x1F follows ("Second memo\n" where the block says 11 bytes).
    const bool memos = rel != "yortus__DBFFile/test/fixtures/dbase_8b.dbf";
    // dbfread counts records by their flag byte: ' ' active, '*' deleted, others skipped.
    uint32_t active = 0, deleted = 0;
    std::vector<uint32_t> active_recnos;
    for (uint32_t r = 1; r <= t->record_count(); ++r) {
      uint8_t flag = t->read(r).bytes()[0];
      if (flag == ' ') {
        ++active;
        active_recnos.push_back(r);
      }
      deleted += flag == '*';
    }
    CHECK(active == d.active);
    CHECK(deleted == d.deleted);
    CHECK(d.values.size() == std::min<size_t>(active, kSampleRecords));

    size_t failures = 0;
    for (size_t k = 0; k < d.values.size() && k < active_recnos.size(); ++k) {
      auto rec = t->read(active_recnos[k]);
      for (const auto& [fi, val] : d.values[k]) {
        if (fi >= t->fields().size()) continue;  // _NullFlags (always last)
        const auto& f = t->fields()[fi];
        Value ours = t->get_tolerant(rec, fi);
        if (ours.is_null() && f.nullable) continue;  // dbfread ignores _NullFlags
        std::string why = compare(f, ours, val, memos, values_compared);
        if (!why.empty() && ++failures <= 10)
          FAIL_CHECK("record " << active_recnos[k] << ": " << why);
      }
    }
    CHECK(failures == 0);
  }
  CHECK(files_compared >= 50);
  CHECK(values_compared >= 10000);
}
