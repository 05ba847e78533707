// xBase expressions for index keys and FOR conditions: compiled once per tag against a table's
// fields, evaluated once per record on the record's raw bytes. Text is kept in the table's
// codepage bytes throughout, since keys are compared as those bytes. The parts: parser.cc
// (text -> syntax.h's tree), functions.cc (the function table), evaluator.cc (one record),
// expr.cc (compiling: sizing the key, the direct key shapes; encode_key).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cdx/key_encoding.h"
#include "xbase/codepage.h"
#include "xbase/schema.h"

namespace xbase::expr {

enum class Type { character, number, date, datetime, logical, null };
const char* type_name(Type t);

struct XValue {
  Type type = Type::null;
  std::string s;       // character: codepage bytes
  double n = 0;        // number
  int32_t jdn = 0;     // date / datetime: Julian day, 0 = empty
  int32_t ms = 0;      // datetime: milliseconds since midnight
  bool b = false;      // logical
  bool from_int_field = false;  // a bare VFP integer field (keys are 4 bytes then)

  static XValue chars(std::string s) { XValue v; v.type = Type::character; v.s = std::move(s); return v; }
  static XValue number(double n) { XValue v; v.type = Type::number; v.n = n; return v; }
  static XValue date(int32_t jdn) { XValue v; v.type = Type::date; v.jdn = jdn; return v; }
  static XValue datetime(int32_t jdn, int32_t ms) { XValue v; v.type = Type::datetime; v.jdn = jdn; v.ms = ms; return v; }
  static XValue logical(bool b) { XValue v; v.type = Type::logical; v.b = b; return v; }
  static XValue null() { return XValue(); }
};

// What an expression sees of the record being evaluated.
struct RecordContext {
  const uint8_t* bytes = nullptr;  // the whole record, deletion flag first
  uint32_t recno = 0;
  const Field* nullflags = nullptr;
  // Memo text for memo fields in expressions (rare in keys); may be left empty.
  std::string (*memo_reader)(void* user, size_t field, const uint8_t* rec) = nullptr;
  void* memo_user = nullptr;
};

struct Node;

// A key cut straight from the record's bytes, without evaluating the expression, for the
// commonest key shapes: a character field, UPPER() of one (single-byte codepages), a VFP
// integer field. Only for fields that cannot be null.
struct DirectKey {
  enum Kind : uint8_t { none, bytes, upper, int32 } kind = none;
  uint32_t offset = 0, length = 0;  // the field in the record
  const uint8_t* map = nullptr;     // upper: the codepage's byte map
  bool ascii_upper = false;         // upper: the map takes a-z to A-Z and keeps the rest of ASCII
  // Writes the key (`length` bytes, 4 for int32) to `out`.
  void cut(const uint8_t* rec, char* out) const {
    const uint8_t* p = rec + offset;
    switch (kind) {
      case bytes: std::memcpy(out, p, length); break;
      case upper: {
        // Locals: a store through `out` (char) could alias the members, which would be
        // reloaded for every byte.
        const uint8_t* m = map;
        const uint32_t n = length;
        uint32_t i = 0;
        if (ascii_upper) {
          // Eight ASCII bytes at a time: a byte in a-z loses 0x20. No byte carries into the
          // next one, since each is below 0x80.
          constexpr uint64_t ones = 0x0101010101010101ull, highs = ones * 0x80;
          for (; i + 8 <= n; i += 8) {
            uint64_t w;
            std::memcpy(&w, p + i, 8);
            if (w & highs) break;
            const uint64_t from_a = w + ones * (0x80 - 'a'), past_z = w + ones * (0x80 - 'z' - 1);
            w -= ((from_a & ~past_z) & highs) >> 2;
            std::memcpy(out + i, &w, 8);
          }
        }
        for (; i < n; ++i) out[i] = char(m[p[i]]);
        break;
      }
      case int32:
        cdx::int32_key(int32_t(uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24), out);
        break;
      case none: break;
    }
  }
};

class Expression {
 public:
  // Compiles `text` against the table's user fields; throws Error(usage) naming the expression
  // and the position of the problem (unknown function or field, syntax).
  static Expression compile(std::string_view text, const std::vector<Field>& fields,
                            const Codepage& cp);
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  XValue eval(const RecordContext& rec) const;
  const std::string& text() const { return text_; }
  // The result type, found by evaluating on a blank record (as VFP sizes keys).
  Type type() const { return type_; }
  // For character results: the length on a blank record (the key length).
  size_t length() const { return length_; }
  // The expression is one nullable field (VFP then prefixes keys with a null marker).
  bool nullable() const { return nullable_; }
  // The expression is one VFP integer field (VFP then makes 4-byte keys).
  bool integer_field() const { return integer_field_; }
  const DirectKey& direct_key() const { return direct_; }
  // The fields the expression reads, by position in the table's fields, in order of first use.
  std::vector<size_t> fields_used() const;

 private:
  Expression() = default;
  std::string text_;
  std::unique_ptr<Node> root_;
  const std::vector<Field>* fields_ = nullptr;
  const Codepage* cp_ = nullptr;
  Type type_ = Type::null;
  size_t length_ = 0;
  bool nullable_ = false;
  bool integer_field_ = false;
  DirectKey direct_;
  friend struct Evaluator;
};

// Index key bytes of a value, as Visual FoxPro builds them (the byte forms: cdx/key_encoding.h):
// character bytes padded with blanks to key_length, numbers/dates/datetimes as 8-byte
// order-preserving doubles, a bare integer field as 4 bytes, logicals as 'T'/'F'. With
// null_marker, a leading null/value marker byte comes first.
std::string encode_key(const XValue& v, size_t key_length, bool null_marker);

}  // namespace xbase::expr
