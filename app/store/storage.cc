#include "store/storage.h"

namespace invoicing::store {

std::optional<Row> Storage::find(Tbl t, std::string_view index, const std::vector<xbase::Value>& key) {
  std::optional<Row> found;
  range(t, index, key, [&](const Row& r) {
    found = r;
    return false;
  });
  return found;
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
