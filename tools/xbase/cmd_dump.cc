// xbase dump: records in physical order, as JSONL (canonical) or CSV.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "common.h"
#include "json.h"
#include "value_text.h"

namespace xbase::tool {

namespace {

// Output goes out in large blocks: one write per 1 MiB, not one per record.
class Out {
 public:
  // CSV cells carry values as they are (for load); on a terminal their control characters are
  // shown escaped instead. JSONL escapes them itself.
  explicit Out(bool escape = false) : escape_(escape) {}
  ~Out() { flush(); }
  std::string& buf() { return buf_; }
  void maybe_flush() {
    if (buf_.size() >= (1u << 20)) flush();
  }
  void flush() {
    if (escape_ && !buf_.empty()) buf_ = common::terminal_text(buf_);
    if (!buf_.empty()) std::fwrite(buf_.data(), 1, buf_.size(), stdout);
    buf_.clear();
  }

 private:
  bool escape_;
  std::string buf_;
};

}  // namespace

int cmd_dump(int argc, char** argv) {
  Args a = parse_args(argc, argv, 2, {"format", "fields", "codepage", "tag", "file"}, {"deleted", "recno-only"});
  if (a.positional.size() != 1)
    throw UsageError(
        "usage: xbase dump T.dbf [--format jsonl|csv] [--deleted] [--fields A,B] "
        "[--tag NAME [--recno-only]]");
  std::string format = a.get("format", "jsonl");
  if (format != "jsonl" && format != "csv")
    throw UsageError(fmt::format("unknown --format \"{}\" (jsonl, csv)", format));
  auto t = open_table(a.positional[0], a, true);
  std::vector<size_t> cols;
  if (a.options.count("fields")) {
    std::string list = a.get("fields");
    size_t p = 0;
    while (p <= list.size()) {
      size_t e = list.find(',', p);
      if (e == std::string::npos) e = list.size();
      std::string name = list.substr(p, e - p);
      while (!name.empty() && name.front() == ' ') name.erase(0, 1);
      while (!name.empty() && name.back() == ' ') name.pop_back();
      auto i = t->field_index(name);
      if (!i) throw UsageError(fmt::format("{}: no field named \"{}\"", a.positional[0], name));
      cols.push_back(*i);
      p = e + 1;
    }
  } else {
    for (size_t i = 0; i < t->fields().size(); ++i) cols.push_back(i);
  }
  const bool with_deleted = a.has("deleted");
  const auto& fields = t->fields();
  Out out(format == "csv" && isatty(STDOUT_FILENO) == 1);
  std::string& o = out.buf();
  if (format == "csv") {
    o += "_recno,_deleted";
    for (size_t c : cols) {
      o += ',';
      append_csv_cell(o, fields[c].display_name());
    }
    o += "\r\n";
  }
  // Per-field JSON keys, escaped once.
  std::vector<std::string> keys;
  for (size_t c : cols) {
    std::string k = ",";
    json::append_string(k, fields[c].display_name());
    k += ':';
    keys.push_back(k);
  }
  // Physical order, or the order of a tag of the structural index.
  std::vector<uint32_t> order;
  const bool by_tag = a.options.count("tag") > 0;
  if (by_tag) order = t->tag_order(a.get("tag"));
  if (a.has("recno-only")) {
    if (!by_tag) throw UsageError("--recno-only goes with --tag");
    for (uint32_t r : order) {
      if (!with_deleted && r <= t->record_count() && t->read(r).deleted()) continue;
      o += std::to_string(r);
      o += '\n';
      out.maybe_flush();
    }
    out.flush();
    return report_warnings(*t);
  }
  const uint32_t n = by_tag ? uint32_t(order.size()) : t->record_count();
  for (uint32_t i = 1; i <= n; ++i) {
    uint32_t r = by_tag ? order[i - 1] : i;
    Record rec = t->read(r);
    if (rec.deleted() && !with_deleted) continue;
    if (format == "jsonl") {
      o += fmt::format("{{\"_recno\":{},\"_deleted\":{}", r, rec.deleted());
      for (size_t k = 0; k < cols.size(); ++k) {
        o += keys[k];
        append_json_value(o, t->get_tolerant(rec, cols[k]));
      }
      o += "}\n";
    } else {
      o += fmt::format("{},{}", r, rec.deleted() ? "true" : "false");
      for (size_t c : cols) {
        o += ',';
        append_csv_cell(o, csv_text(t->get_tolerant(rec, c)));
      }
      o += "\r\n";
    }
    out.maybe_flush();
  }
  out.flush();
  std::fflush(stdout);
  return report_warnings(*t);
}

}  // namespace xbase::tool
