// The xBase functions an expression may call: one table entry per function with its name, the
// number of arguments it takes and how it is evaluated (engine-internal). The parser resolves a
// call to its entry once, so a key evaluation never compares function names.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/evaluator.h"

namespace xbase::expr {

// What a function's evaluation sees: the call, and for strict functions its arguments
// evaluated once, left to right.
struct Call {
  const Evaluator& ev;
  const Node& n;
  std::vector<XValue> av;  // strict functions only

  size_t argc() const { return n.args.size(); }
  // Evaluates argument i (functions that are not strict decide what to evaluate).
  XValue arg(size_t i) const { return ev.eval(*n.args[i]); }
  // Strict functions: argument i, which must have type t.
  const XValue& typed(size_t i, Type t) const {
    ev.need(*n.args[i], av[i], t);
    return av[i];
  }
  const std::string& chars(size_t i) const { return typed(i, Type::character).s; }
  double num(size_t i) const { return typed(i, Type::number).n; }
  // A count or width: negative counts as 0.
  int64_t count(size_t i) const;
  // A date or datetime argument's Julian day.
  int32_t day(size_t i) const;
};

struct Function {
  const char* name;
  uint8_t min_args, max_args;
  // Arguments are evaluated before the call and a null among them makes the result null;
  // otherwise the function evaluates them itself (IIF evaluates one branch, ISNULL sees null).
  bool strict;
  XValue (*eval)(Call& c);
};

// The entry for a function name in upper case; nullptr when there is none.
const Function* find_function(std::string_view name);

}  // namespace xbase::expr
