// The expression parser: text -> syntax tree, with fields and functions resolved (arity
// checked) so that evaluation does no lookups.
#pragma once

#include <string_view>
#include <vector>

#include "expr/syntax.h"

namespace xbase::expr {

// Throws Error(usage) naming the position of the problem.
NodeP parse(std::string_view text, const std::vector<Field>& fields, const Codepage& cp);

}  // namespace xbase::expr
