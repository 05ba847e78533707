// xbase create: a new empty table.
#include <fmt/format.h>

#include "common.h"
#include "xbase/codepage.h"

namespace xbase::tool {

int cmd_create(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"type", "fields", "codepage", "memo-block"}, {"force"});
  if (a.positional.size() != 1 || !a.options.count("fields"))
    throw UsageError(
        "usage: xbase create T.dbf --type vfp|fox2|db3|db4 --fields \"ID I, NAME C(40)\" "
        "[--codepage 1252] [--memo-block 64] [--force]");
  CreateOptions o;
  auto fmt_name = a.get("type", "vfp");
  auto f = parse_format(fmt_name);
  if (!f) throw UsageError(fmt::format("unknown --type \"{}\" (vfp, fox2, db3, db4)", fmt_name));
  o.format = *f;
  o.codepage = a.get_int("codepage", 1252);
  if (o.codepage && !Codepage::known(o.codepage))
    throw UsageError(fmt::format("unknown codepage {}", o.codepage));
  int mb = a.get_int("memo-block", 0);
  if (mb < 0 || mb > 65535) throw UsageError("--memo-block must be 1..65535");
  o.memo_block_size = uint32_t(mb);
  o.overwrite = a.has("force");
  std::vector<Field> fields;
  try {
    fields = parse_field_list(a.get("fields"));
  } catch (const Error& e) {
    throw UsageError(e.detail());
  }
  auto t = Table::create(xbase::path_from_utf8(a.positional[0]), std::move(fields), o);
  t->close();
  return kOk;
}

}  // namespace xbase::tool
