#include "expr/parser.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "expr/functions.h"
#include "xbase/value.h"

namespace xbase::expr {

namespace {

// Recursive descent, lowest precedence first: .OR., .AND., .NOT., comparisons, + -, * / %,
// unary minus, ** and ^, then literals, fields, calls and parentheses.
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
      // Long names (from a DBC) first, as Table::field_index looks them up.
      for (int pass = 0; pass < 2; ++pass)
        for (size_t i = 0; i < fields_.size(); ++i) {
          const std::string& fn = pass == 0 ? fields_[i].long_name : fields_[i].name;
          if (!fn.empty() && (pass == 0 ? upper_ascii(fn) : fn) == name) {
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

  void check_function(Node& n) {
    const Function* f = find_function(n.name);
    if (!f) fail(t_, n.pos, fmt::format("unknown function {}()", n.name));
    size_t lo = f->min_args, hi = f->max_args;
    if (n.args.size() < lo || n.args.size() > hi)
      fail(t_, n.pos, fmt::format("{}() takes {} argument{}", n.name,
                                  lo == hi ? std::to_string(lo) : fmt::format("{} to {}", lo, hi),
                                  hi == 1 ? "" : "s"));
    n.fn = f;
  }

  std::string_view t_;
  const std::vector<Field>& fields_;
  const Codepage& cp_;
  size_t p_ = 0;
};

}  // namespace

NodeP parse(std::string_view text, const std::vector<Field>& fields, const Codepage& cp) {
  return Parser(text, fields, cp).parse();
}

}  // namespace xbase::expr
