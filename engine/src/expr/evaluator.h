// Evaluation of a compiled expression on one record (engine-internal).
#pragma once

#include <string>

#include "expr/syntax.h"

namespace xbase::expr {

struct Evaluator {
  const Expression& e;
  const RecordContext& rc;

  XValue eval(const Node& n) const;
  // A field's value read from the record's bytes, leniently as xBase does for keys: damaged
  // numbers read as far as they parse, damaged dates as empty.
  XValue field(const Node& n) const;
  // a `op` b for the comparison operators; both of one type.
  bool compare(const Node& n, Op op, const XValue& a, const XValue& b) const;
  void need(const Node& n, const XValue& v, Type t) const;
  [[noreturn]] void bad(const Node& n, const std::string& msg) const { fail(e.text_, n.pos, msg); }
  const Codepage& codepage() const { return *e.cp_; }
};

}  // namespace xbase::expr
