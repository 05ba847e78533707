#include "expr/evaluator.h"

#include <algorithm>
#include <cmath>

#include "dbf/field_codec.h"
#include "expr/functions.h"
#include "util/coding.h"

namespace xbase::expr {

namespace {

XValue add_seconds(const XValue& t, double secs) {
  int64_t total = int64_t(t.jdn) * 86400000 + t.ms + int64_t(std::llround(secs * 1000));
  return XValue::datetime(int32_t(total / 86400000), int32_t(total % 86400000));
}

void numbers(const Node& n, const XValue& a, const XValue& b, const Evaluator& ev) {
  ev.need(n, a, Type::number);
  ev.need(n, b, Type::number);
}

XValue call(const Evaluator& ev, const Node& n) {
  Call c{ev, n, {}};
  if (n.fn->strict) {
    c.av.reserve(n.args.size());
    for (const auto& a : n.args) {
      c.av.push_back(ev.eval(*a));
      if (c.av.back().type == Type::null) return XValue::null();
    }
  }
  return n.fn->eval(c);
}

}  // namespace

void Evaluator::need(const Node& n, const XValue& v, Type t) const {
  if (v.type != t) bad(n, fmt::format("{} value where {} is needed", type_name(v.type), type_name(t)));
}

XValue Evaluator::field(const Node& n) const {
  const Field& f = (*e.fields_)[n.field];
  const uint8_t* rec = rc.bytes;
  if (f.null_bit >= 0 && rc.nullflags && dbf::get_bit(rec, *rc.nullflags, f.null_bit)) return XValue::null();
  const uint8_t* p = rec + f.offset;
  switch (f.type) {
    case FieldType::character:
      return XValue::chars(std::string(reinterpret_cast<const char*>(p), f.length));
    case FieldType::varchar:
    case FieldType::varbinary:
      return XValue::chars(std::string(reinterpret_cast<const char*>(p), dbf::varchar_length(f, rec, rc.nullflags)));
    case FieldType::numeric:
    case FieldType::floating: return XValue::number(dbf::lenient_number(p, f.length));
    case FieldType::integer: {
      XValue v = XValue::number(double(int32_t(coding::get_le32(p))));
      v.from_int_field = true;
      return v;
    }
    case FieldType::currency: return XValue::number(double(int64_t(coding::get_le64(p))) / 10000.0);
    case FieldType::double_: return XValue::number(coding::get_le_double(p));
    case FieldType::date: {
      Date d;
      return XValue::date(dbf::date_digits(p, d) && valid_date(d) ? julian_day(d) : 0);
    }
    case FieldType::datetime:
      if (dbf::all_blank(p, 8)) return XValue::datetime(0, 0);
      return XValue::datetime(int32_t(coding::get_le32(p)), int32_t(coding::get_le32(p + 4)));
    case FieldType::logical: return XValue::logical(dbf::logical_byte(p[0]) == dbf::Logical::yes);
    case FieldType::memo:
      if (rc.memo_reader) return XValue::chars(rc.memo_reader(rc.memo_user, n.field, rec));
      return XValue::chars("");
    default: return XValue::chars(std::string(reinterpret_cast<const char*>(p), f.length));
  }
}

XValue Evaluator::eval(const Node& n) const {
  switch (n.op) {
    case Op::literal: return n.value;
    case Op::field: return field(n);
    case Op::call: return call(*this, n);
    default: break;
  }
  XValue a = eval(*n.args[0]);
  if (n.op == Op::not_) {
    if (a.type == Type::null) return a;
    need(n, a, Type::logical);
    return XValue::logical(!a.b);
  }
  if (n.op == Op::neg) {
    if (a.type == Type::null) return a;
    need(n, a, Type::number);
    return XValue::number(-a.n);
  }
  // Short-circuit logic as xBase does.
  if (n.op == Op::and_ || n.op == Op::or_) {
    need(n, a, Type::logical);
    if (n.op == Op::and_ && !a.b) return XValue::logical(false);
    if (n.op == Op::or_ && a.b) return XValue::logical(true);
    XValue b = eval(*n.args[1]);
    need(n, b, Type::logical);
    return XValue::logical(b.b);
  }
  XValue b = eval(*n.args[1]);
  if (a.type == Type::null || b.type == Type::null) return XValue::null();
  switch (n.op) {
    case Op::add:
      if (a.type == Type::character && b.type == Type::character) return XValue::chars(a.s + b.s);
      if (a.type == Type::date && b.type == Type::number) return XValue::date(a.jdn + int32_t(b.n));
      if (a.type == Type::number && b.type == Type::date) return XValue::date(b.jdn + int32_t(a.n));
      if (a.type == Type::datetime && b.type == Type::number) return add_seconds(a, b.n);
      numbers(n, a, b, *this);
      return XValue::number(a.n + b.n);
    case Op::sub:
      if (a.type == Type::character && b.type == Type::character) {
        // The left side's trailing blanks move to the end of the result.
        size_t e2 = a.s.find_last_not_of(' ');
        std::string l = e2 == std::string::npos ? "" : a.s.substr(0, e2 + 1);
        return XValue::chars(l + b.s + std::string(a.s.size() - l.size(), ' '));
      }
      if (a.type == Type::date && b.type == Type::date) return XValue::number(double(a.jdn - b.jdn));
      if (a.type == Type::date && b.type == Type::number) return XValue::date(a.jdn - int32_t(b.n));
      if (a.type == Type::datetime && b.type == Type::number) return add_seconds(a, -b.n);
      numbers(n, a, b, *this);
      return XValue::number(a.n - b.n);
    case Op::mul: numbers(n, a, b, *this); return XValue::number(a.n * b.n);
    case Op::div:
      numbers(n, a, b, *this);
      if (b.n == 0) bad(n, "division by zero");
      return XValue::number(a.n / b.n);
    case Op::mod:
      numbers(n, a, b, *this);
      if (b.n == 0) bad(n, "division by zero");
      return XValue::number(a.n - b.n * std::floor(a.n / b.n));
    case Op::pow: numbers(n, a, b, *this); return XValue::number(std::pow(a.n, b.n));
    case Op::contains:
      need(n, a, Type::character);
      need(n, b, Type::character);
      return XValue::logical(b.s.find(a.s) != std::string::npos);
    default: return XValue::logical(compare(n, n.op, a, b));
  }
}


bool Evaluator::compare(const Node& n, Op op, const XValue& a, const XValue& b) const {
  if (a.type != b.type) bad(n, fmt::format("cannot compare {} with {}", type_name(a.type), type_name(b.type)));
  int c = 0;
  switch (a.type) {
    case Type::character: {
      if (op == Op::eq) {
        // SET EXACT OFF: the left side only has to begin with the right side.
        return a.s.compare(0, b.s.size(), b.s) == 0 && a.s.size() >= b.s.size();
      }
      std::string l = a.s, r = b.s;
      size_t w = std::max(l.size(), r.size());
      l.resize(w, ' ');
      r.resize(w, ' ');
      c = l.compare(r);
      break;
    }
    case Type::number: c = a.n < b.n ? -1 : a.n > b.n ? 1 : 0; break;
    case Type::date: c = a.jdn < b.jdn ? -1 : a.jdn > b.jdn ? 1 : 0; break;
    case Type::datetime: {
      int64_t x = int64_t(a.jdn) * 86400000 + a.ms, y = int64_t(b.jdn) * 86400000 + b.ms;
      c = x < y ? -1 : x > y ? 1 : 0;
      break;
    }
    case Type::logical: c = int(a.b) - int(b.b); break;
    case Type::null: return false;
  }
  switch (op) {
    case Op::eq:
    case Op::exact_eq: return c == 0;
    case Op::ne: return c != 0;
    case Op::lt: return c < 0;
    case Op::le: return c <= 0;
    case Op::gt: return c > 0;
    case Op::ge: return c >= 0;
    default: return false;
  }
}


XValue Expression::eval(const RecordContext& rc) const { return Evaluator{*this, rc}.eval(*root_); }

}  // namespace xbase::expr
