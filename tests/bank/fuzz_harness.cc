#include "fuzz_harness.h"

#include <cstdlib>
#include <string_view>

#include "bank/camt053.h"
#include "bank/coda.h"
#include "domain/date.h"

namespace invoicing::bank::fuzz {

namespace {
void check(const std::vector<Statement>& statements) {
  if (statements.empty()) std::abort();  // refused or at least one statement
  for (const Statement& s : statements) {
    if (!domain::valid_date(s.date)) std::abort();
    for (const Transaction& t : s.transactions) {
      if (!domain::valid_date(t.booking_date)) std::abort();
      if (t.value_date && !domain::valid_date(*t.value_date)) std::abort();
    }
  }
}
}  // namespace

int coda_one_input(const uint8_t* data, size_t size) {
  try {
    check(parse_coda(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.cod"));
  } catch (const StatementError&) {
  }
  return 0;
}

int camt053_one_input(const uint8_t* data, size_t size) {
  try {
    check(parse_camt053(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.xml"));
  } catch (const StatementError&) {
  }
  return 0;
}

}  // namespace invoicing::bank::fuzz
