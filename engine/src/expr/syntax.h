// The syntax tree an expression compiles to, shared by the parser, the function table and the
// evaluator (engine-internal).
#pragma once

#include <fmt/format.h>

#include <cctype>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/expr.h"
#include "xbase/error.h"

namespace xbase::expr {

struct Function;

enum class Op {
  literal, field, call, neg, not_, add, sub, mul, div, mod, pow,
  eq, exact_eq, ne, lt, le, gt, ge, contains, and_, or_,
};

struct Node {
  Op op = Op::literal;
  size_t pos = 0;                // position in the text, for messages
  XValue value;                  // literal
  size_t field = 0;              // field
  std::string name;              // call: function name (upper case)
  const Function* fn = nullptr;  // call: resolved by the parser, so evaluation never looks it up
  std::vector<std::unique_ptr<Node>> args;
};

using NodeP = std::unique_ptr<Node>;

// A usage error naming the expression and the 1-based position of the problem.
[[noreturn]] inline void fail(std::string_view text, size_t pos, const std::string& msg) {
  throw Error(Errc::usage, {}, fmt::format("expression \"{}\": position {}: {}", text, pos + 1, msg));
}

inline std::string upper_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = char(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

}  // namespace xbase::expr
