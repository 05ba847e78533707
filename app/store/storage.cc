#include "store/storage.h"

#include <fmt/format.h>

#include <stdexcept>

namespace invoicing::store {

const char* file_kind_name(FileKind k) {
  switch (k) {
    case FileKind::layout: return "layouts";
    case FileKind::import_profile: return "import-profiles";
    case FileKind::purchase: return "purchases";
  }
  throw std::logic_error("an unknown file kind");
}

void check_file_name(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 200;
  int parts = 1;
  bool part_start = true;
  for (char c : name) {
    if (c == '/') {
      ok = ok && !part_start;
      ++parts;
      part_start = true;
      continue;
    }
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                c == '%' || (c == '.' && !part_start));
    part_start = false;
  }
  if (!ok || part_start || parts > 2)
    throw std::invalid_argument(fmt::format("\"{}\" is not a company file name", name));
}

std::optional<Row> Storage::find(Tbl t, std::string_view index, const std::vector<xbase::Value>& key) {
  std::optional<Row> found;
  range(t, index, key, [&](const Row& r) {
    found = r;
    return false;
  });
  return found;
}

std::vector<Row> Storage::range_all(Tbl t, std::string_view index, const std::vector<xbase::Value>& prefix) {
  std::vector<Row> out;
  range(t, index, prefix, [&](const Row& r) {
    out.push_back(r);
    return true;
  });
  return out;
}

std::vector<std::optional<Row>> Storage::find_each(Tbl t, std::string_view index,
                                                   const std::vector<std::vector<xbase::Value>>& keys) {
  std::vector<std::optional<Row>> out;
  for (const auto& key : keys) out.push_back(find(t, index, key));
  return out;
}

std::optional<Row> Storage::find_locked(Tbl t, std::string_view index, const std::vector<xbase::Value>& key,
                                        std::chrono::milliseconds wait) {
  auto r = find(t, index, key);
  if (!r) return std::nullopt;
  lock(t, r->id, wait);
  return get(t, r->id);
}

size_t Storage::count(Tbl t, std::string_view index, const std::vector<xbase::Value>& from) {
  size_t n = 0;
  walk(t, index, from, false, [&](const Row&) {
    ++n;
    return true;
  });
  return n;
}

}  // namespace invoicing::store
