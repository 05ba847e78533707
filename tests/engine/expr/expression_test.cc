// The xBase expression compiler: operators, functions, types, and errors naming the position.
#include <catch2/catch.hpp>

#include "expr/expr.h"
#include "xbase/schema.h"
#include "xbase/error.h"
#include "xbase/value.h"

using namespace xbase;
using namespace xbase::expr;
using xbase::cdx::double_key;

namespace {

struct Fixture {
  std::vector<Field> fields = parse_field_list("NAME C(10), N N(8,2), D D, L L, I I");
  const Codepage& cp = Codepage::get(1252);
  std::vector<uint8_t> rec;
  Fixture() {
    uint32_t pos = 1;
    for (auto& f : fields) {
      f.offset = pos;
      pos += f.length;
    }
    rec.assign(pos, ' ');
    set("NAME", "Ærø b");
    set("N", "  -12.50");
    set("D", "20240229");
    set("L", "T");
    rec[fields[4].offset] = 7;  // I = 7, little-endian
    rec[fields[4].offset + 1] = rec[fields[4].offset + 2] = rec[fields[4].offset + 3] = 0;
  }
  void set(const std::string& name, const std::string& utf8) {
    for (const auto& f : fields)
      if (f.name == name) {
        std::string b = cp.encode(utf8);
        b.resize(f.length, ' ');
        std::copy(b.begin(), b.end(), rec.begin() + f.offset);
      }
  }
  XValue eval(const std::string& text) {
    auto e = Expression::compile(text, fields, cp);
    RecordContext rc;
    rc.bytes = rec.data();
    rc.recno = 42;
    return e.eval(rc);
  }
  std::string str(const std::string& text) {
    auto v = eval(text);
    REQUIRE(v.type == Type::character);
    return cp.decode(v.s);
  }
};

}  // namespace

TEST_CASE("string functions work on codepage bytes", "[expr]") {
  Fixture f;
  CHECK(f.str("UPPER(NAME)") == "ÆRØ B     ");
  CHECK(f.str("LOWER(NAME)") == "ærø b     ");
  CHECK(f.str("LEFT(NAME,3)") == "Ærø");
  CHECK(f.str("RIGHT(ALLTRIM(NAME),1)") == "b");
  CHECK(f.str("SUBSTR(NAME,2,2)") == "rø");
  CHECK(f.str("TRIM(NAME)+'|'") == "Ærø b|");
  CHECK(f.str("NAME-'|'") == "Ærø b|     ");
  CHECK(f.str("PADL(TRIM(NAME),7,'*')") == "**Ærø b");
  CHECK(f.str("PADR('x',3)") == "x  ");
  CHECK(f.str("REPLICATE('ab',3)") == "ababab");
  CHECK(f.str("SPACE(2)+CHR(65)") == "  A");
  CHECK(f.eval("ASC('A')").n == 65);
  CHECK(f.eval("LEN(NAME)").n == 10);
}

TEST_CASE("numbers dates and logicals", "[expr]") {
  Fixture f;
  CHECK(f.str("STR(N,8,2)") == "  -12.50");
  CHECK(f.str("STR(N)") == "       -13");  // default width 10, no decimals, rounded
  CHECK(f.str("STR(123456,3)") == "***");
  CHECK(f.str("STR(2.5)") == "         3");  // half away from zero, as xBase rounds
  CHECK(f.str("STR(1.005,5,2)") == " 1.01");
  CHECK(f.str("STR(-0.001,5,2)") == " 0.00");
  CHECK(f.str("STR(1234.5678,6,2)") == "1234.6");  // decimals give way before the integer part
  CHECK(f.str("STR(I,5)+DTOS(D)") == "    720240229");
  CHECK(f.str("DTOS(D+1)") == "20240301");
  CHECK(f.str("DTOC(D)") == "02/29/24");
  CHECK(f.eval("YEAR(D)*10000+MONTH(D)*100+DAY(D)").n == 20240229);
  CHECK(f.eval("D - {^2024-01-01}").n == 59);
  CHECK(f.eval("ROUND(N*3,1)").n == Approx(-37.5));
  CHECK(f.eval("INT(-2.7)").n == -2);
  CHECK(f.eval("ABS(N)").n == 12.5);
  CHECK(f.eval("MAX(1,5,3)").n == 5);
  CHECK(f.eval("MIN(4,2,8)").n == 2);
  CHECK(f.eval("VAL('  3.25xyz')").n == 3.25);
  CHECK(f.eval("L .AND. N < 0").b);
  CHECK_FALSE(f.eval(".NOT. L .OR. N > 0").b);
  CHECK(f.eval("!DELETED()").b);
  CHECK(f.eval("RECNO()").n == 42);
  CHECK(f.eval("IIF(L, 1, 2)").n == 1);
  CHECK(f.eval("EMPTY(SPACE(3))").b);
  CHECK(f.eval("'Ær' $ NAME").b);
  CHECK(f.eval("NAME = 'Ærø'").b);       // SET EXACT OFF: prefix
  CHECK_FALSE(f.eval("NAME == 'Ærø'").b);
  CHECK(f.eval("ISNULL(NULL)").b);
  CHECK(f.eval("NVL(NULL, 3)").n == 3);
  CHECK(f.eval("T.N + 1").n == -11.5);  // alias.FIELD
  CHECK(f.eval("I").from_int_field);
  CHECK(f.eval("BINTOC(-1)").s == std::string("\x7F\xFF\xFF\xFF", 4));
  CHECK(f.eval("BINTOC(1)").s == std::string("\x80\x00\x00\x01", 4));
}

TEST_CASE("compile errors name the expression and the position", "[expr]") {
  Fixture f;
  auto msg = [&](const std::string& text) {
    try {
      Expression::compile(text, f.fields, f.cp);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(msg("FOO(NAME)") == "expression \"FOO(NAME)\": position 1: unknown function FOO()");
  CHECK(msg("UPPER(NAME") == "expression \"UPPER(NAME\": position 11: expected ',' or ')'");
  CHECK(msg("NAME + NOPE") == "expression \"NAME + NOPE\": position 8: unknown field \"NOPE\"");
  CHECK(msg("LEFT(NAME)") == "expression \"LEFT(NAME)\": position 1: LEFT() takes 2 arguments");
  CHECK(msg("NAME + 1").find("position 6: character value where numeric is needed") != std::string::npos);
}

TEST_CASE("key encoding orders numbers dates and integers as bytes", "[expr]") {
  CHECK(double_key(1.0) == std::string("\xBF\xF0\0\0\0\0\0\0", 8));
  CHECK(double_key(-1.0) == std::string("\x40\x0F\xFF\xFF\xFF\xFF\xFF\xFF", 8));
  CHECK(double_key(0.0) == std::string("\x80\0\0\0\0\0\0\0", 8));
  CHECK(double_key(-0.0) == double_key(0.0));
  std::vector<double> xs = {-1e300, -5.5, -1, -1e-300, 0, 1e-300, 2, 3.25, 1e300};
  for (size_t i = 1; i < xs.size(); ++i) CHECK(double_key(xs[i - 1]) < double_key(xs[i]));
  XValue i = XValue::number(-2);
  i.from_int_field = true;
  CHECK(encode_key(i, 4, false) == std::string("\x7F\xFF\xFF\xFE", 4));
  CHECK(encode_key(XValue::chars("AB"), 4, false) == "AB  ");
  CHECK(encode_key(XValue::null(), 5, true) == std::string(5, '\0'));
  CHECK(encode_key(XValue::chars("AB"), 5, true) == "\x80" "AB  ");
  CHECK(encode_key(XValue::logical(true), 1, false) == "T");
}

TEST_CASE("keys cut from the record bytes equal the evaluated keys, byte for byte", "[expr][key]") {
  // DirectKey serves index maintenance and builds for a field, UPPER(field) and an integer
  // field; it must give exactly what evaluating and encoding gives, for every byte value.
  for (int number : {1252, 850, 437, 1250}) {
    INFO("codepage " << number);
    Fixture f;
    const Codepage& cp = Codepage::get(number);
    for (const char* text : {"NAME", "UPPER(NAME)", "I"}) {
      INFO(text);
      auto e = Expression::compile(text, f.fields, cp);
      REQUIRE(e.direct_key().kind != DirectKey::none);
      const size_t kl = e.type() == Type::character ? e.length() : 4;
      for (int b = 0; b < 256; ++b) {  // every byte at every place of an 8-byte group
        for (size_t i = 0; i < 10; ++i) f.rec[f.fields[0].offset + i] = uint8_t((b + int(i)) & 0xFF);
        f.rec[f.fields[4].offset] = uint8_t(b);
        f.rec[f.fields[4].offset + 3] = uint8_t(b);  // negative integers too
        RecordContext rc;
        rc.bytes = f.rec.data();
        std::string cut(kl, '?');
        e.direct_key().cut(f.rec.data(), cut.data());
        CHECK(cut == encode_key(e.eval(rc), kl, false));
      }
    }
  }
  // Shapes that need evaluating are not cut.
  Fixture f;
  CHECK(Expression::compile("LEFT(NAME,3)", f.fields, f.cp).direct_key().kind == DirectKey::none);
  CHECK(Expression::compile("N", f.fields, f.cp).direct_key().kind == DirectKey::none);
  CHECK(Expression::compile("UPPER(NAME)+NAME", f.fields, f.cp).direct_key().kind == DirectKey::none);
}

// The function table (expr/functions.cc): each entry's evaluation, and which functions see
// their arguments' nulls or evaluate only what they need.
TEST_CASE("every function of the table evaluates as xBase does", "[expr]") {
  Fixture f;
  CHECK(f.str("PADL(\"ab\", 5)") == "   ab");
  CHECK(f.str("PADR(\"ab\", 5, \"*\")") == "ab***");
  CHECK(f.str("PADC(\"ab\", 5, \"-\")") == "-ab--");
  CHECK(f.str("PADL(\"abcdef\", 3)") == "def");
  CHECK(f.str("PADR(D, 10)") == "20240229  ");
  CHECK(f.str("ALLTRIM(\"  a b  \")") == "a b");
  CHECK(f.str("RTRIM(\"  a  \")") == "  a");
  CHECK(f.str("TRIM(\"  a  \")") == "  a");
  CHECK(f.str("LEFT(NAME, 3)") == "Ærø");
  CHECK(f.str("LEFT(NAME, -1)") == "");
  CHECK(f.str("DTOS(D)") == "20240229");
  CHECK(f.str("DTOC(D)") == "02/29/24");
  CHECK(f.str("DTOC(D, 1)") == "20240229");
  CHECK(f.eval("YEAR(D)").n == 2024);
  CHECK(f.eval("MONTH(D)").n == 2);
  CHECK(f.eval("DAY(D)").n == 29);
  CHECK(f.eval("CTOD(\"02/29/24\")").jdn == f.eval("D").jdn);
  CHECK(f.eval("CTOD(\"02/30/24\")").jdn == 0);
  CHECK(f.eval("INT(N)").n == -12);
  CHECK(f.eval("ABS(N)").n == 12.5);
  CHECK(f.eval("MIN(3, 1, 2)").n == 1);
  CHECK(f.eval("MAX(\"b\", \"c\", \"a\")").s == "c");
  // Strict functions: a null argument makes the result null; ISNULL, NVL see the null.
  CHECK(f.eval("UPPER(NULL)").type == Type::null);
  CHECK(f.eval("MAX(1, NULL)").type == Type::null);
  CHECK(f.eval("ISNULL(NULL)").b);
  CHECK(f.eval("NVL(NULL, 5)").n == 5);
  CHECK_FALSE(f.eval("EMPTY(NULL)").b);
  // IIF evaluates only the branch it takes.
  CHECK(f.eval("IIF(.T., 1, 1/0)").n == 1);
  CHECK_THROWS_WITH(f.eval("IIF(.F., 1, 1/0)"), Catch::Contains("division by zero"));
  // Argument types are checked with the argument's position.
  CHECK_THROWS_WITH(f.eval("UPPER(N)"), Catch::Contains("position 7: numeric value where character is needed"));
  CHECK_THROWS_WITH(f.eval("YEAR(NAME)"), Catch::Contains("character value where date is needed"));
  CHECK_THROWS_WITH(f.eval("MIN(1, 2, 3, \"x\")"), Catch::Contains("cannot compare"));
  CHECK_THROWS_WITH(f.eval("SUBSTR(NAME)"), Catch::Contains("SUBSTR() takes 2 to 3 arguments"));
  CHECK_THROWS_WITH(f.eval("RECNO(1)"), Catch::Contains("RECNO() takes 0 arguments"));
}

// Field bytes are read by the field codec's lenient readers (dbf/field_codec.h): a damaged
// value gives the key other xBase engines give it, never an error.
TEST_CASE("damaged field bytes read leniently in expressions", "[expr]") {
  Fixture f;
  f.set("N", "  12x.5  ");
  CHECK(f.eval("N").n == 12);
  f.set("D", "2024AB29");
  CHECK(f.eval("D").jdn == 0);
  f.set("D", "20240230");
  CHECK(f.eval("D").jdn == 0);
  f.set("L", "?");
  CHECK_FALSE(f.eval("L").b);
  f.set("L", "y");
  CHECK(f.eval("L").b);
}

// TagInfo::key_fields comes from here (xbase conflicts compares copies by them).
TEST_CASE("an expression names the fields it reads, in order of first use", "[expr]") {
  Fixture f;
  auto used = [&](const std::string& text) { return Expression::compile(text, f.fields, f.cp).fields_used(); };
  CHECK(used("UPPER(NAME)+STR(N,6)+DTOS(D)+NAME") == std::vector<size_t>{0, 1, 2});
  CHECK(used("\"NAME\"+STR(I)") == std::vector<size_t>{4});  // a literal is not a field
  CHECK(used("IIF(L, STR(N), NAME)") == std::vector<size_t>{3, 1, 0});
  CHECK(used("RECNO()").empty());
}
