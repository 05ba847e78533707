// camt.053, the ISO 20022 BankToCustomerStatement (versions camt.053.001.02 to .08), read
// with pugixml. A DOCTYPE is refused outright: statements never need one, and it is how
// entity expansion ("billion laughs") and external entities get in.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bank/statement.h"

namespace invoicing::bank {

// Booked entries only (Sts BOOK); an entry with several transaction details gives one
// Transaction each. Throws StatementError naming the file and the element path (with the
// XML line where the parser knows it).
std::vector<Statement> parse_camt053(std::string_view bytes, const std::string& file_name);

}  // namespace invoicing::bank
