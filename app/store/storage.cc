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

}  // namespace invoicing::store
