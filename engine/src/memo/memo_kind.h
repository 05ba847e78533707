// The kinds of memo file a DBF can have. Below the DBF codecs: a header's version byte names
// the memo kind it implies (dbf/header.h), and the memo file is opened by kind (memo_file.h).
#pragma once

namespace xbase::memo {

enum class MemoKind { none, fpt, dbt3, dbt4 };

}  // namespace xbase::memo
