#include "expr/expr.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <functional>

#include "dbf/field_codec.h"
#include "util/coding.h"
#include "xbase/error.h"

namespace xbase::expr {

const char* type_name(Type t) {
  switch (t) {
    case Type::character: return "character";
    case Type::number: return "numeric";
    case Type::date: return "date";
    case Type::datetime: return "datetime";
    case Type::logical: return "logical";
    case Type::null: return "null";
  }
  return "?";
}

// ------------------------------------------------------------------ syntax tree

enum class Op {
  literal, field, call, neg, not_, add, sub, mul, div, mod, pow,
  eq, exact_eq, ne, lt, le, gt, ge, contains, and_, or_,
};

struct Node {
  Op op = Op::literal;
  size_t pos = 0;        // position in the text, for messages
  XValue value;          // literal
  size_t field = 0;      // field
  std::string name;      // call: function name (upper case)
  std::vector<std::unique_ptr<Node>> args;
};

using NodeP = std::unique_ptr<Node>;

namespace {

[[noreturn]] void fail(std::string_view text, size_t pos, const std::string& msg) {
  throw Error(Errc::usage, {}, fmt::format("expression \"{}\": position {}: {}", text, pos + 1, msg));
}

std::string upper_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = char(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

// ------------------------------------------------------------------ parser

class Parser {
 public:
  Parser(std::string_view t, const std::vector<Field>& f, const Codepage& cp) : t_(t), fields_(f), cp_(cp) {}

  NodeP parse() {
    NodeP n = or_expr();
    ws();
    if (p_ < t_.size()) fail(t_, p_, fmt::format("unexpected \"{}\"", t_.substr(p_, 10)));
    return n;
  }

 private:
  void ws() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  bool peek_word(std::string_view w) {  // .AND. style operators, case-insensitive
    ws();
    if (p_ + w.size() > t_.size()) return false;
    for (size_t i = 0; i < w.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(t_[p_ + i])) != w[i]) return false;
    return true;
  }
  bool eat(std::string_view w) {
    if (!peek_word(w)) return false;
    p_ += w.size();
    return true;
  }
  NodeP make(Op op, size_t pos, NodeP a = nullptr, NodeP b = nullptr) {
    auto n = std::make_unique<Node>();
    n->op = op;
    n->pos = pos;
    if (a) n->args.push_back(std::move(a));
    if (b) n->args.push_back(std::move(b));
    return n;
  }

  NodeP or_expr() {
    NodeP l = and_expr();
    for (;;) {
      size_t at = p_;
      if (!eat(".OR.")) return l;
      l = make(Op::or_, at, std::move(l), and_expr());
    }
  }
  NodeP and_expr() {
    NodeP l = not_expr();
    for (;;) {
      size_t at = p_;
      if (!eat(".AND.")) return l;
      l = make(Op::and_, at, std::move(l), not_expr());
    }
  }
  NodeP not_expr() {
    size_t at = p_;
    if (eat(".NOT.") || (peek_word("!") && !peek_word("!=") && eat("!")))
      return make(Op::not_, at, not_expr());
    return comparison();
  }
  NodeP comparison() {
    NodeP l = additive();
    ws();
    size_t at = p_;
    static const std::pair<const char*, Op> ops[] = {
        {"==", Op::exact_eq}, {"!=", Op::ne}, {"<>", Op::ne}, {"<=", Op::le}, {">=", Op::ge},
        {"=", Op::eq},        {"#", Op::ne},  {"<", Op::lt},  {">", Op::gt},  {"$", Op::contains}};
    for (const auto& [s, op] : ops)
      if (eat(s)) return make(op, at, std::move(l), additive());
    return l;
  }
  NodeP additive() {
    NodeP l = multiplicative();
    for (;;) {
      ws();
      size_t at = p_;
      if (eat("+")) l = make(Op::add, at, std::move(l), multiplicative());
      else if (eat("-")) l = make(Op::sub, at, std::move(l), multiplicative());
      else return l;
    }
  }
  NodeP multiplicative() {
    NodeP l = unary();
    for (;;) {
      ws();
      size_t at = p_;
      if (peek_word("**")) return l;  // power binds tighter; handled in power()
      if (eat("*")) l = make(Op::mul, at, std::move(l), unary());
      else if (eat("/")) l = make(Op::div, at, std::move(l), unary());
      else if (eat("%")) l = make(Op::mod, at, std::move(l), unary());
      else return l;
    }
  }
  NodeP unary() {
    ws();
    size_t at = p_;
    if (eat("-")) return make(Op::neg, at, unary());
    if (eat("+")) return unary();
    return power();
  }
  NodeP power() {
    NodeP l = primary();
    ws();
    size_t at = p_;
    if (eat("**") || eat("^")) return make(Op::pow, at, std::move(l), unary());
    return l;
  }

  NodeP literal(XValue v, size_t at) {
    auto n = make(Op::literal, at);
    n->value = std::move(v);
    return n;
  }

  NodeP primary() {
    ws();
    size_t at = p_;
    if (p_ >= t_.size()) fail(t_, p_, "unexpected end of expression");
    char c = t_[p_];
    if (c == '(') {
      ++p_;
      NodeP n = or_expr();
      ws();
      if (!eat(")")) fail(t_, p_, "expected ')'");
      return n;
    }
    if (c == '"' || c == '\'' || c == '[') {
      char close = c == '[' ? ']' : c;
      size_t e = t_.find(close, p_ + 1);
      if (e == std::string_view::npos) fail(t_, p_, "unterminated string");
      std::string s(t_.substr(p_ + 1, e - p_ - 1));
      p_ = e + 1;
      std::string bytes;
      try {
        bytes = cp_.encode(s);
      } catch (const Error& err) {
        fail(t_, at, err.detail());
      }
      return literal(XValue::chars(bytes), at);
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '.' && p_ + 1 < t_.size() && std::isdigit(static_cast<unsigned char>(t_[p_ + 1])))) {
      size_t e = p_;
      while (e < t_.size() && (std::isdigit(static_cast<unsigned char>(t_[e])) || t_[e] == '.')) ++e;
      std::string num(t_.substr(p_, e - p_));
      p_ = e;
      return literal(XValue::number(std::strtod(num.c_str(), nullptr)), at);
    }
    if (c == '.') {
      for (auto [w, b] : {std::pair{".T.", true}, {".F.", false}, {".Y.", true}, {".N.", false}})
        if (eat(w)) return literal(XValue::logical(b), at);
      fail(t_, p_, "unexpected '.'");
    }
    if (c == '{') {
      size_t e = t_.find('}', p_);
      if (e == std::string_view::npos) fail(t_, p_, "unterminated date literal");
      std::string body(t_.substr(p_ + 1, e - p_ - 1));
      p_ = e + 1;
      body.erase(std::remove(body.begin(), body.end(), ' '), body.end());
      if (body.empty() || body == "/" || body == "//") return literal(XValue::date(0), at);
      if (body[0] == '^') body.erase(0, 1);
      int y, m, d;
      if (std::sscanf(body.c_str(), "%d-%d-%d", &y, &m, &d) != 3 &&
          std::sscanf(body.c_str(), "%d/%d/%d", &y, &m, &d) != 3)
        fail(t_, at, "date literals are written {^YYYY-MM-DD}");
      Date dt{y, m, d};
      if (!valid_date(dt)) fail(t_, at, "invalid date literal");
      return literal(XValue::date(julian_day(dt)), at);
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t e = p_;
      while (e < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[e])) || t_[e] == '_')) ++e;
      std::string name = upper_ascii(t_.substr(p_, e - p_));
      p_ = e;
      ws();
      if (p_ < t_.size() && t_[p_] == '(') {
        ++p_;
        auto n = make(Op::call, at);
        n->name = name;
        ws();
        if (!eat(")")) {
          for (;;) {
            n->args.push_back(or_expr());
            ws();
            if (eat(")")) break;
            if (!eat(",")) fail(t_, p_, "expected ',' or ')'");
          }
        }
        check_function(*n);
        return n;
      }
      // alias.FIELD or alias->FIELD: the alias is this table.
      if (p_ < t_.size() && (t_.substr(p_, 2) == "->" ||
                             (t_[p_] == '.' && p_ + 1 < t_.size() &&
                              (std::isalpha(static_cast<unsigned char>(t_[p_ + 1])) || t_[p_ + 1] == '_') &&
                              !is_dot_operator(p_)))) {
        p_ += t_[p_] == '.' ? 1 : 2;
        size_t fe = p_;
        while (fe < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[fe])) || t_[fe] == '_')) ++fe;
        name = upper_ascii(t_.substr(p_, fe - p_));
        p_ = fe;
      }
      if (name == "NULL") return literal(XValue::null(), at);
      for (size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].name == name) {
          auto n = make(Op::field, at);
          n->field = i;
          return n;
        }
      }
      fail(t_, at, fmt::format("unknown field \"{}\"", name));
    }
    fail(t_, p_, fmt::format("unexpected \"{}\"", c));
  }

  bool is_dot_operator(size_t at) {
    for (std::string_view w : {".AND.", ".OR.", ".NOT.", ".T.", ".F."}) {
      if (at + w.size() > t_.size()) continue;
      if (upper_ascii(t_.substr(at, w.size())) == w) return true;
    }
    return false;
  }

  void check_function(const Node& n) {
    struct Sig {
      const char* name;
      size_t min, max;
    };
    static const Sig sigs[] = {
        {"UPPER", 1, 1},  {"LOWER", 1, 1},   {"LEFT", 2, 2},     {"RIGHT", 2, 2},
        {"SUBSTR", 2, 3}, {"ALLTRIM", 1, 1}, {"LTRIM", 1, 1},    {"RTRIM", 1, 1},
        {"TRIM", 1, 1},   {"PADL", 2, 3},    {"PADR", 2, 3},     {"STR", 1, 3},
        {"VAL", 1, 1},    {"DTOS", 1, 1},    {"DTOC", 1, 2},     {"CTOD", 1, 1},
        {"TTOC", 1, 2},   {"YEAR", 1, 1},    {"MONTH", 1, 1},    {"DAY", 1, 1},
        {"IIF", 3, 3},    {"EMPTY", 1, 1},   {"DELETED", 0, 0},  {"RECNO", 0, 0},
        {"BINTOC", 1, 2}, {"CHR", 1, 1},     {"ASC", 1, 1},      {"SPACE", 1, 1},
        {"REPLICATE", 2, 2}, {"INT", 1, 1},  {"ROUND", 2, 2},    {"ABS", 1, 1},
        {"MIN", 2, 99},   {"MAX", 2, 99},    {"NVL", 2, 2},      {"ISNULL", 1, 1},
        {"LEN", 1, 1},    {"TTOD", 1, 1},    {"PADC", 2, 3},
    };
    for (const auto& s : sigs) {
      if (n.name != s.name) continue;
      if (n.args.size() < s.min || n.args.size() > s.max)
        fail(t_, n.pos, fmt::format("{}() takes {} argument{}", n.name,
                                    s.min == s.max ? std::to_string(s.min)
                                                   : fmt::format("{} to {}", s.min, s.max),
                                    s.max == 1 ? "" : "s"));
      return;
    }
    fail(t_, n.pos, fmt::format("unknown function {}()", n.name));
  }

  std::string_view t_;
  const std::vector<Field>& fields_;
  const Codepage& cp_;
  size_t p_ = 0;
};

}  // namespace

// ------------------------------------------------------------------ evaluation

struct Evaluator {
  const Expression& e;
  const RecordContext& rc;

  [[noreturn]] void bad(const Node& n, const std::string& msg) const { fail(e.text_, n.pos, msg); }

  XValue field(const Node& n) const {
    const Field& f = (*e.fields_)[n.field];
    const uint8_t* rec = rc.bytes;
    if (f.null_bit >= 0 && rc.nullflags && dbf::get_bit(rec, *rc.nullflags, f.null_bit)) return XValue::null();
    const uint8_t* p = rec + f.offset;
    switch (f.type) {
      case FieldType::character:
        return XValue::chars(std::string(reinterpret_cast<const char*>(p), f.length));
      case FieldType::varchar:
      case FieldType::varbinary: {
        size_t len = f.length;
        if (f.length_bit >= 0 && rc.nullflags && dbf::get_bit(rec, *rc.nullflags, f.length_bit))
          len = std::min<size_t>(p[f.length - 1], f.length);
        return XValue::chars(std::string(reinterpret_cast<const char*>(p), len));
      }
      case FieldType::numeric:
      case FieldType::floating: {
        char buf[32];
        size_t n2 = std::min<size_t>(f.length, 31);
        std::memcpy(buf, p, n2);
        buf[n2] = 0;
        return XValue::number(std::strtod(buf, nullptr));
      }
      case FieldType::integer: {
        XValue v = XValue::number(double(int32_t(coding::get_le32(p))));
        v.from_int_field = true;
        return v;
      }
      case FieldType::currency: return XValue::number(double(int64_t(coding::get_le64(p))) / 10000.0);
      case FieldType::double_: return XValue::number(coding::get_le_double(p));
      case FieldType::date: {
        int y = 0, m = 0, d = 0;
        for (int i = 0; i < 8; ++i)
          if (p[i] < '0' || p[i] > '9') return XValue::date(0);
        y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
        m = (p[4] - '0') * 10 + (p[5] - '0');
        d = (p[6] - '0') * 10 + (p[7] - '0');
        Date dt{y, m, d};
        return XValue::date(valid_date(dt) ? julian_day(dt) : 0);
      }
      case FieldType::datetime: {
        bool blank = true;
        for (int i = 0; i < 8; ++i) blank = blank && (p[i] == 0 || p[i] == ' ');
        if (blank) return XValue::datetime(0, 0);
        return XValue::datetime(int32_t(coding::get_le32(p)), int32_t(coding::get_le32(p + 4)));
      }
      case FieldType::logical: return XValue::logical(p[0] == 'T' || p[0] == 't' || p[0] == 'Y' || p[0] == 'y');
      case FieldType::memo:
        if (rc.memo_reader) return XValue::chars(rc.memo_reader(rc.memo_user, n.field, rec));
        return XValue::chars("");
      default: return XValue::chars(std::string(reinterpret_cast<const char*>(p), f.length));
    }
  }

  XValue eval(const Node& n) const {
    switch (n.op) {
      case Op::literal: return n.value;
      case Op::field: return field(n);
      case Op::call: return call(n);
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
        need(n, a, Type::number);
        need(n, b, Type::number);
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
        need(n, a, Type::number);
        need(n, b, Type::number);
        return XValue::number(a.n - b.n);
      case Op::mul: num2(n, a, b); return XValue::number(a.n * b.n);
      case Op::div:
        num2(n, a, b);
        if (b.n == 0) bad(n, "division by zero");
        return XValue::number(a.n / b.n);
      case Op::mod:
        num2(n, a, b);
        if (b.n == 0) bad(n, "division by zero");
        return XValue::number(a.n - b.n * std::floor(a.n / b.n));
      case Op::pow: num2(n, a, b); return XValue::number(std::pow(a.n, b.n));
      case Op::contains:
        need(n, a, Type::character);
        need(n, b, Type::character);
        return XValue::logical(b.s.find(a.s) != std::string::npos);
      default: return XValue::logical(compare(n, a, b));
    }
  }

  static XValue add_seconds(const XValue& t, double secs) {
    int64_t total = int64_t(t.jdn) * 86400000 + t.ms + int64_t(std::llround(secs * 1000));
    return XValue::datetime(int32_t(total / 86400000), int32_t(total % 86400000));
  }

  void need(const Node& n, const XValue& v, Type t) const {
    if (v.type != t) bad(n, fmt::format("{} value where {} is needed", type_name(v.type), type_name(t)));
  }
  void num2(const Node& n, const XValue& a, const XValue& b) const {
    need(n, a, Type::number);
    need(n, b, Type::number);
  }

  bool compare(const Node& n, const XValue& a, const XValue& b) const {
    if (a.type != b.type) bad(n, fmt::format("cannot compare {} with {}", type_name(a.type), type_name(b.type)));
    int c = 0;
    switch (a.type) {
      case Type::character: {
        if (n.op == Op::eq) {
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
    switch (n.op) {
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

  // The decimal text of a double to 15 significant digits (what a double really carries), so
  // that 1.005 is 1.005 and rounds up as xBase users expect, not 1.00499999999999989...
  static std::string decimal_of(double v) {
    std::string e = fmt::format("{:.14e}", v);  // -d.dddddddddddddde+XX
    bool neg = e[0] == '-';
    if (neg) e.erase(0, 1);
    size_t epos = e.find('e');
    int exp = std::stoi(e.substr(epos + 1));
    std::string digits = e.substr(0, 1) + e.substr(2, epos - 2);
    int point = 1 + exp;
    std::string out;
    if (point <= 0) out = "0." + std::string(size_t(-point), '0') + digits;
    else if (size_t(point) >= digits.size()) out = digits + std::string(size_t(point) - digits.size(), '0');
    else out = digits.substr(0, size_t(point)) + "." + digits.substr(size_t(point));
    std::string c;
    canonical_decimal((neg ? "-" : "") + out, c);
    return c;
  }

  static std::string str_number(double v, int len, int dec) {
    if (len < 1) len = 10;
    if (dec < 0) dec = 0;
    if (!std::isfinite(v)) return std::string(size_t(len), '*');
    std::string exact = decimal_of(v);
    for (int d = std::min(dec, len); d >= 0; --d) {
      std::string s = dbf::round_decimal(exact, d);
      if (int(s.size()) <= len) return std::string(size_t(len) - s.size(), ' ') + s;
    }
    return std::string(size_t(len), '*');
  }

  static std::string dtos(int32_t jdn) {
    if (jdn == 0) return std::string(8, ' ');
    Date d = from_julian_day(jdn);
    return fmt::format("{:04}{:02}{:02}", d.year, d.month, d.day);
  }

  XValue call(const Node& n) const {
    const std::string& f = n.name;
    auto arg = [&](size_t i) { return eval(*n.args[i]); };
    if (f == "DELETED") return XValue::logical(rc.bytes && rc.bytes[0] == '*');
    if (f == "RECNO") return XValue::number(rc.recno);
    if (f == "ISNULL") return XValue::logical(arg(0).type == Type::null);
    if (f == "NVL") {
      XValue a = arg(0);
      return a.type == Type::null ? arg(1) : a;
    }
    if (f == "IIF") {
      XValue c = arg(0);
      need(*n.args[0], c, Type::logical);
      return c.b ? arg(1) : arg(2);
    }
    if (f == "EMPTY") {
      XValue v = arg(0);
      switch (v.type) {
        case Type::character: return XValue::logical(v.s.find_first_not_of(" \t\r\n") == std::string::npos);
        case Type::number: return XValue::logical(v.n == 0);
        case Type::date:
        case Type::datetime: return XValue::logical(v.jdn == 0);
        case Type::logical: return XValue::logical(!v.b);
        case Type::null: return XValue::logical(false);
      }
    }
    if (f == "MIN" || f == "MAX") {
      XValue best = arg(0);
      Node cmp;
      cmp.op = f == "MIN" ? Op::lt : Op::gt;
      cmp.pos = n.pos;
      for (size_t i = 1; i < n.args.size(); ++i) {
        XValue v = arg(i);
        if (v.type == Type::null || best.type == Type::null) return XValue::null();
        if (compare(cmp, v, best)) best = v;
      }
      return best;
    }
    // Everything below takes its arguments evaluated once, and propagates null.
    std::vector<XValue> av;
    av.reserve(n.args.size());
    for (const auto& a : n.args) {
      av.push_back(eval(*a));
      if (av.back().type == Type::null) return XValue::null();
    }
    auto chars = [&](size_t i) -> const XValue& {
      need(*n.args[i], av[i], Type::character);
      return av[i];
    };
    auto num = [&](size_t i) {
      need(*n.args[i], av[i], Type::number);
      return av[i].n;
    };
    auto count = [&](size_t i) { return std::max<int64_t>(0, int64_t(num(i))); };
    if (f == "UPPER") return XValue::chars(e.cp_->upper(chars(0).s));
    if (f == "LOWER") return XValue::chars(e.cp_->lower(chars(0).s));
    if (f == "LEFT") {
      std::string s = chars(0).s;
      return XValue::chars(s.substr(0, size_t(std::min<int64_t>(count(1), int64_t(s.size())))));
    }
    if (f == "RIGHT") {
      std::string s = chars(0).s;
      size_t k = size_t(std::min<int64_t>(count(1), int64_t(s.size())));
      return XValue::chars(s.substr(s.size() - k));
    }
    if (f == "SUBSTR") {
      std::string s = chars(0).s;
      int64_t start = int64_t(num(1));
      if (start < 1 || start > int64_t(s.size())) return XValue::chars("");
      size_t from = size_t(start - 1);
      size_t len = n.args.size() > 2 ? size_t(count(2)) : s.size() - from;
      return XValue::chars(s.substr(from, len));
    }
    if (f == "ALLTRIM" || f == "LTRIM" || f == "RTRIM" || f == "TRIM") {
      std::string s = chars(0).s;
      if (f != "LTRIM") {
        size_t e2 = s.find_last_not_of(' ');
        s = e2 == std::string::npos ? "" : s.substr(0, e2 + 1);
      }
      if (f == "LTRIM" || f == "ALLTRIM") {
        size_t b2 = s.find_first_not_of(' ');
        s = b2 == std::string::npos ? "" : s.substr(b2);
      }
      return XValue::chars(s);
    }
    if (f == "PADL" || f == "PADR" || f == "PADC") {
      const XValue& v = av[0];
      std::string s = v.type == Type::character ? v.s
                      : v.type == Type::number  ? fmt::format("{}", v.n)
                      : v.type == Type::date    ? dtos(v.jdn)
                                                : std::string();
      size_t w = size_t(count(1));
      char pad = n.args.size() > 2 ? (chars(2).s + " ")[0] : ' ';
      if (s.size() >= w) return XValue::chars(f == "PADL" ? s.substr(s.size() - w) : s.substr(0, w));
      size_t fill = w - s.size();
      if (f == "PADL") return XValue::chars(std::string(fill, pad) + s);
      if (f == "PADR") return XValue::chars(s + std::string(fill, pad));
      return XValue::chars(std::string(fill / 2, pad) + s + std::string(fill - fill / 2, pad));
    }
    if (f == "STR") {
      double v = num(0);
      int len = n.args.size() > 1 ? int(num(1)) : 10;
      int dec = n.args.size() > 2 ? int(num(2)) : 0;
      return XValue::chars(str_number(v, len, dec));
    }
    if (f == "VAL") {
      std::string s = chars(0).s;
      return XValue::number(std::strtod(s.c_str(), nullptr));
    }
    if (f == "LEN") return XValue::number(double(chars(0).s.size()));
    if (f == "SPACE") return XValue::chars(std::string(size_t(count(0)), ' '));
    if (f == "REPLICATE") {
      std::string s = chars(0).s, out;
      for (int64_t i = 0, k = count(1); i < k; ++i) out += s;
      return XValue::chars(out);
    }
    if (f == "CHR") return XValue::chars(std::string(1, char(int(num(0)) & 0xFF)));
    if (f == "ASC") {
      std::string s = chars(0).s;
      return XValue::number(s.empty() ? 0 : static_cast<unsigned char>(s[0]));
    }
    if (f == "INT") return XValue::number(std::trunc(num(0)));
    if (f == "ABS") return XValue::number(std::fabs(num(0)));
    if (f == "ROUND") {
      double v = num(0), p = std::pow(10.0, num(1));
      return XValue::number(std::round(v * p) / p);
    }
    if (f == "DTOS") {
      const XValue& v = av[0];
      if (v.type != Type::date && v.type != Type::datetime) need(*n.args[0], v, Type::date);
      return XValue::chars(dtos(v.jdn));
    }
    if (f == "DTOC") {
      const XValue& v = av[0];
      if (v.type != Type::date && v.type != Type::datetime) need(*n.args[0], v, Type::date);
      if (n.args.size() > 1 && num(1) == 1) return XValue::chars(dtos(v.jdn));
      if (v.jdn == 0) return XValue::chars("  /  /  ");
      Date d = from_julian_day(v.jdn);  // SET DATE AMERICAN, SET CENTURY OFF
      return XValue::chars(fmt::format("{:02}/{:02}/{:02}", d.month, d.day, d.year % 100));
    }
    if (f == "CTOD") {
      std::string s = chars(0).s;
      int m = 0, d = 0, y = 0;
      if (std::sscanf(s.c_str(), "%d/%d/%d", &m, &d, &y) != 3) return XValue::date(0);
      if (y < 100) y += y < 50 ? 2000 : 1900;
      Date dt{y, m, d};
      return XValue::date(valid_date(dt) ? julian_day(dt) : 0);
    }
    if (f == "TTOC") {
      const XValue& v = av[0];
      need(*n.args[0], v, Type::datetime);
      if (v.jdn == 0) return XValue::chars(n.args.size() > 1 ? std::string(14, ' ') : "");
      Date d = from_julian_day(v.jdn);
      int s = v.ms / 1000;
      if (n.args.size() > 1 && num(1) == 1)
        return XValue::chars(fmt::format("{:04}{:02}{:02}{:02}{:02}{:02}", d.year, d.month, d.day,
                                         s / 3600, s / 60 % 60, s % 60));
      int h = s / 3600 % 12;
      return XValue::chars(fmt::format("{:02}/{:02}/{:02} {:02}:{:02}:{:02} {}", d.month, d.day,
                                       d.year % 100, h ? h : 12, s / 60 % 60, s % 60,
                                       s / 3600 < 12 ? "AM" : "PM"));
    }
    if (f == "TTOD") {
      const XValue& v = av[0];
      need(*n.args[0], v, Type::datetime);
      return XValue::date(v.jdn);
    }
    if (f == "YEAR" || f == "MONTH" || f == "DAY") {
      const XValue& v = av[0];
      if (v.type != Type::date && v.type != Type::datetime) need(*n.args[0], v, Type::date);
      if (v.jdn == 0) return XValue::number(0);
      Date d = from_julian_day(v.jdn);
      return XValue::number(f == "YEAR" ? d.year : f == "MONTH" ? d.month : d.day);
    }
    if (f == "BINTOC") {
      int64_t v = int64_t(num(0));
      int size = n.args.size() > 1 ? int(num(1)) : 4;
      if (size != 1 && size != 2 && size != 4) bad(n, "BINTOC() size must be 1, 2 or 4");
      uint64_t u = uint64_t(v) ^ (uint64_t(1) << (8 * size - 1));  // sign bit flipped
      std::string out(size_t(size), '\0');
      for (int i = 0; i < size; ++i) out[size_t(i)] = char(u >> (8 * (size - 1 - i)));
      return XValue::chars(out);
    }
    bad(n, fmt::format("unknown function {}()", f));
  }
};

Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

Expression Expression::compile(std::string_view text, const std::vector<Field>& fields,
                               const Codepage& cp) {
  Expression e;
  e.text_ = std::string(text);
  e.fields_ = &fields;
  e.cp_ = &cp;
  if (text.find_first_not_of(" \t") == std::string_view::npos)
    throw Error(Errc::usage, {}, "empty expression");
  e.root_ = Parser(text, fields, cp).parse();
  // Size it on a blank record, as VFP does to fix the key length.
  size_t len = 1;
  for (const auto& f : fields) len = std::max<size_t>(len, f.offset + f.length);
  std::vector<uint8_t> blank(len, ' ');
  const Field* nf = nullptr;
  dbf::CodecContext ctx;
  ctx.cp = &cp;
  ctx.format = Format::vfp;
  for (const auto& f : fields)
    if (f.type == FieldType::nullflags) nf = &f;
  ctx.nullflags = nf;
  for (const auto& f : fields)
    if (f.type != FieldType::nullflags) dbf::blank_field(f, blank.data(), ctx);
  RecordContext rc;
  rc.bytes = blank.data();
  rc.recno = 1;
  rc.nullflags = nf;
  XValue v = e.eval(rc);
  e.type_ = v.type;
  e.length_ = v.type == Type::character ? v.s.size() : 0;
  e.nullable_ = e.root_->op == Op::field && fields[e.root_->field].nullable;
  e.integer_field_ = e.root_->op == Op::field && fields[e.root_->field].type == FieldType::integer;
  // The shapes whose keys need no evaluation.
  const Node* r = e.root_.get();
  const Node* f = r->op == Op::field ? r
                  : (r->op == Op::call && r->name == "UPPER" && r->args.size() == 1 && r->args[0]->op == Op::field)
                      ? r->args[0].get()
                      : nullptr;
  if (f && !fields[f->field].nullable && fields[f->field].null_bit < 0) {
    const Field& fd = fields[f->field];
    e.direct_.offset = uint32_t(fd.offset);
    e.direct_.length = uint32_t(fd.length);
    if (fd.type == FieldType::character && f == r) {
      e.direct_.kind = DirectKey::bytes;
    } else if (fd.type == FieldType::character && cp.upper_map()) {
      e.direct_.kind = DirectKey::upper;
      e.direct_.map = cp.upper_map();
      e.direct_.ascii_upper = true;
      for (int c = 0; c < 0x80; ++c)
        if (e.direct_.map[c] != ((c >= 'a' && c <= 'z') ? c - 0x20 : c)) e.direct_.ascii_upper = false;
    } else if (fd.type == FieldType::integer && f == r) {
      e.direct_.kind = DirectKey::int32;
      e.direct_.length = 4;
    }
  }
  return e;
}

XValue Expression::eval(const RecordContext& rc) const { return Evaluator{*this, rc}.eval(*root_); }

std::string double_key(double d) {
  if (d == 0) d = 0;  // -0.0 sorts as +0.0
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  bits = (bits & (uint64_t(1) << 63)) ? ~bits : bits ^ (uint64_t(1) << 63);
  std::string out(8, '\0');
  coding::put_be64(reinterpret_cast<uint8_t*>(out.data()), bits);
  return out;
}

std::string encode_key(const XValue& v, size_t key_length, bool null_marker) {
  std::string out;
  if (null_marker) {
    out += v.type == Type::null ? '\x00' : '\x80';
    if (key_length) --key_length;
  }
  switch (v.type) {
    case Type::null: out.append(key_length, '\0'); break;
    case Type::character: {
      std::string s = v.s.substr(0, key_length);
      s.resize(key_length, ' ');
      out += s;
      break;
    }
    case Type::number:
      if (v.from_int_field && key_length == 4) {
        uint32_t u = uint32_t(int32_t(v.n)) ^ 0x80000000u;
        char b[4] = {char(u >> 24), char(u >> 16), char(u >> 8), char(u)};
        out.append(b, 4);
      } else {
        out += double_key(v.n);
      }
      break;
    case Type::date: out += double_key(double(v.jdn)); break;
    case Type::datetime:
      out += double_key(v.jdn == 0 ? 0.0 : double(v.jdn) + double(v.ms) / 86400000.0);
      break;
    case Type::logical: out += v.b ? 'T' : 'F'; break;
  }
  return out;
}

}  // namespace xbase::expr
