#include "domain/edition.h"

#include <cctype>
#include <string>

namespace invoicing::domain {

const char* edition_name(Edition e) {
  switch (e) {
    case Edition::free: return "Free";
    case Edition::basic: return "Basic";
    case Edition::pro: return "Pro";
    case Edition::full: return "Full";
  }
  return "?";
}

std::optional<Edition> edition_from_name(std::string_view s) {
  std::string l(s);
  for (auto& c : l) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (l == "free") return Edition::free;
  if (l == "basic") return Edition::basic;
  if (l == "pro") return Edition::pro;
  if (l == "full") return Edition::full;
  return std::nullopt;
}

int seat_count(Edition e) {
  switch (e) {
    case Edition::free: return 1;
    case Edition::basic: return 3;
    case Edition::pro: return 10;
    case Edition::full: return 50;
  }
  return 1;
}

}  // namespace invoicing::domain
