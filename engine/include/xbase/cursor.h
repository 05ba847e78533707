// xbase::Cursor: a position in one table, in record-number order or in a tag's order (what a
// FoxPro work area keeps for SET ORDER, GO TOP/BOTTOM, SKIP, SEEK and SET SCOPE). A cursor is
// its own object, not the table's state: several cursors on one table move independently, so
// code that walks the lines of a document in one tag does not disturb its caller's walk.
//
// In record order a cursor visits every record, deleted ones included (SET DELETED OFF); in a
// tag's order it visits the tag's entries (FOR, UNIQUE and DESCENDING as stored in the index).
// A position survives changes to the table; after a pack, zap or reindex a cursor is
// unpositioned (as VFP leaves a work area after PACK).
//
//   xbase::Cursor lines(docline, "DOC");
//   for (bool ok = lines.find(key); ok && !lines.eof(); ok = lines.skip()) use(lines.read());
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "xbase/index.h"
#include "xbase/table.h"
#include "xbase/value.h"

namespace xbase {

class Cursor {
 public:
  // A cursor in the order of `tag` ("" = record-number order), unpositioned. Throws
  // Errc::not_found when no open index of the table has the tag.
  explicit Cursor(Table& t, std::string_view tag = "");
  ~Cursor();
  Cursor(Cursor&&) noexcept;
  Cursor& operator=(Cursor&&) noexcept;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  Table& table() const;
  // The tag's name as the index stores it; empty in record order.
  const std::string& tag() const;

  // SET SCOPE: navigation stays within keys from top to bottom (character keys as prefixes);
  // nullopt leaves that end open. Needs a tag.
  void set_scope(const std::optional<Value>& top, const std::optional<Value>& bottom);
  bool go_top();  // false when there is no record (in scope)
  bool go_bottom();
  bool skip(int64_t n = 1);  // false when moved past either end
  // SEEK in the cursor's tag: positions on the first matching record (soft: on the next key
  // when there is no match). Returns whether a record matched. Needs a tag.
  bool find(const Value& key, SeekMode mode = SeekMode::partial);
  // find() and read() as one operation: `landed` is the record the cursor stands on when a
  // record matched (SeekMode::soft: whenever it stands on one), else empty; valid as read()'s
  // result is, until the table's next read. In a table opened with
  // OpenOptions::batched_scans a seek that takes the index lock (the index's first use, or
  // another process changed it since the last look) reads that record under the lock, once,
  // instead of twice after it (docs/multi-user.md, "Read batches").
  bool find(const Value& key, SeekMode mode, std::optional<Record>& landed);
  uint32_t recno() const;  // 0 when positioned nowhere
  bool eof() const;
  // The record under the cursor (Table::read(recno())).
  Record read();

  struct State;

 private:
  bool find(const Value& key, SeekMode mode, std::optional<Record>& landed, bool read);
  std::unique_ptr<State> s_;
};

}  // namespace xbase
