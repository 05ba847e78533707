// xbase::Cursor over a table's records (record order) or a tag of its open indexes.
#include "xbase/cursor.h"

#include <fmt/format.h>

#include <cctype>

#include "table/table_impl.h"

namespace xbase {

struct Cursor::State {
  Table* table;
  std::string tag;              // as stored; empty: record order
  IndexSet::Cursor pos;         // tag order
  IndexSet* set = nullptr;      // the index holding the tag, as of sets_epoch
  uint64_t sets_epoch = 0, positions_epoch = 0;
  uint32_t cur = 0;             // record order
  bool at_eof = true;

  Table::Impl& im() { return *table->impl_; }

  // Before every move: the table may have replaced its index files (find the tag again) or
  // renumbered its records (the position is gone).
  void sync() {
    Table::Impl& t = im();
    if (positions_epoch != t.positions_epoch) {
      positions_epoch = t.positions_epoch;
      cur = 0;
      at_eof = true;
      pos.recno = 0;
      pos.page = cdx::kNone;
      sets_epoch = 0;
    }
    if (tag.empty() || sets_epoch == t.sets_epoch) return;
    set = t.find_set(tag);
    if (!set)
      throw Error(Errc::not_found, {t.path.string(), {}, {}, {}},
                  fmt::format("no tag named {} (it was dropped or its index closed)", tag));
    sets_epoch = t.sets_epoch;
  }

  IndexSet& tag_set(const char* what) {
    if (tag.empty())
      throw Error(Errc::usage, {im().path.string(), {}, {}, {}},
                  fmt::format("{} needs a cursor in a tag's order", what));
    sync();
    im().flush_pending();
    return *set;
  }

  bool landed(bool ok) {
    at_eof = !ok;
    if (ok) cur = pos.recno;
    return ok;
  }
};

Cursor::Cursor(Table& t, std::string_view tag) : s_(std::make_unique<State>()) {
  s_->table = &t;
  Table::Impl& im = *t.impl_;
  s_->positions_epoch = im.positions_epoch;
  if (tag.empty()) return;
  im.flush_pending();
  if (im.index && !im.index->loaded() && im.extra.empty()) {
    // Shared use, the index not read yet: it is read by the first move, under the lock that
    // move takes (a read here would cost the lock twice and the counter once more). Tag names
    // are stored in capitals; a name no tag has fails that move with "no tag named".
    std::string name(tag);
    for (auto& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
    s_->tag = name;
    s_->pos.tag = name;
    s_->set = im.index.get();
    s_->sets_epoch = im.sets_epoch;
    return;
  }
  IndexSet& ix = im.need_index("cursor", tag);
  const cdx::Tag* found = ix.file().find(tag);
  if (!found)
    throw Error(Errc::not_found, {im.path.string(), {}, {}, {}},
                im.index_problem.empty() ? fmt::format("no tag named {}", tag)
                                         : fmt::format("no tag named {}: {}", tag, im.damaged_index()));
  s_->tag = found->name;
  s_->pos.tag = found->name;
  s_->set = &ix;
  s_->sets_epoch = im.sets_epoch;
}

Cursor::~Cursor() = default;
Cursor::Cursor(Cursor&&) noexcept = default;
Cursor& Cursor::operator=(Cursor&&) noexcept = default;

Table& Cursor::table() const { return *s_->table; }
const std::string& Cursor::tag() const { return s_->tag; }

void Cursor::set_scope(const std::optional<Value>& top, const std::optional<Value>& bottom) {
  IndexSet& set = s_->tag_set("a scope");
  s_->pos.top.reset();
  s_->pos.bottom.reset();
  if (top) s_->pos.top = set.seek_key(s_->tag, *top, SeekMode::partial);
  if (bottom) s_->pos.bottom = set.seek_key(s_->tag, *bottom, SeekMode::partial);
}

bool Cursor::go_top() {
  State& s = *s_;
  if (!s.tag.empty()) {
    IndexSet& set = s.tag_set("go_top");
    return s.landed(s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) { return set.first(c); }));
  }
  s.sync();
  Table::Impl& im = s.im();
  if (im.shared && !im.header_ours()) im.refresh_count();
  s.cur = im.count ? 1 : 0;
  s.at_eof = im.count == 0;
  return !s.at_eof;
}

bool Cursor::go_bottom() {
  State& s = *s_;
  if (!s.tag.empty()) {
    IndexSet& set = s.tag_set("go_bottom");
    return s.landed(s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) { return set.last(c); }));
  }
  s.sync();
  Table::Impl& im = s.im();
  if (im.shared && !im.header_ours()) im.refresh_count();
  s.cur = im.count;
  s.at_eof = im.count == 0;
  return !s.at_eof;
}

bool Cursor::skip(int64_t n) {
  State& s = *s_;
  if (!s.tag.empty()) {
    IndexSet& set = s.tag_set("skip");
    return s.landed(s.im().move_cursor(s.pos, [&](IndexSet::Cursor& c) {
      bool moved = c.recno != 0;
      for (int64_t i = 0; moved && i < (n < 0 ? -n : n); ++i) moved = set.step(c, n > 0);
      return moved;
    }));
  }
  s.sync();
  Table::Impl& im = s.im();
  int64_t to = int64_t(s.cur) + n;
  if (im.shared && to > int64_t(im.count) && !im.header_ours()) im.refresh_count();
  if (to < 1 || to > int64_t(im.count)) {
    s.at_eof = true;
    s.cur = to < 1 ? (im.count ? 1 : 0) : im.count;
    return false;
  }
  s.cur = uint32_t(to);
  s.at_eof = false;
  return true;
}

bool Cursor::find(const Value& key, SeekMode mode) {
  std::optional<Record> none;
  return find(key, mode, none, false);
}

bool Cursor::find(const Value& key, SeekMode mode, std::optional<Record>& landed) {
  return find(key, mode, landed, true);
}

bool Cursor::find(const Value& key, SeekMode mode, std::optional<Record>& landed, bool read) {
  State& s = *s_;
  landed.reset();
  IndexSet& set = s.tag_set("find");
  Table::Impl& im = s.im();
  bool match = im.move_cursor(s.pos, [&](IndexSet::Cursor& c) {
    const bool m = set.seek(c, key, mode);
    landed.reset();  // a second round (under the lock) seeks again
    if (read && im.operation_lock && c.recno != 0 && (m || mode == SeekMode::soft)) landed = s.table->read(c.recno);
    return m;
  });
  s.at_eof = s.pos.recno == 0;
  if (!s.at_eof) s.cur = s.pos.recno;
  if (read && !landed && !s.at_eof && (match || mode == SeekMode::soft)) landed = this->read();
  return match;
}

// (A position the table has since renumbered or rebuilt reads as none.)
uint32_t Cursor::recno() const { return eof() ? 0 : s_->cur; }
bool Cursor::eof() const {
  return s_->at_eof || s_->positions_epoch != s_->table->impl_->positions_epoch;
}
Record Cursor::read() { return s_->table->read(recno()); }

}  // namespace xbase
