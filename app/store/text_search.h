// Finding records by what a user types: case-insensitive as the tables' indexes are (the
// Windows-1252 letters included: "zoë" finds "ZOË"), any of several fields containing it.
#pragma once

#include <initializer_list>
#include <string>

namespace invoicing::store {

class TextSearch {
 public:
  explicit TextSearch(const std::string& typed);
  bool empty() const { return needle_.empty(); }
  // True when the search is empty or one of the texts contains it.
  bool matches(std::initializer_list<std::string> texts) const;

 private:
  std::string needle_;  // upper-cased
};

// Upper case as the tables' codepage (Windows-1252) has it; other characters unchanged.
std::string upper_text(const std::string& utf8);

}  // namespace invoicing::store
