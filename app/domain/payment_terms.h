// When an invoice falls due: the customer's payment terms, either a number of days after
// the invoice date ("30 days") or the end of the invoice's month plus a number of days
// ("end of month + 30").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/date.h"
#include "domain/verdict.h"

namespace invoicing::domain {

struct PaymentTerms {
  bool end_of_month = false;  // count from the last day of the invoice's month
  int days = 30;              // 0..365
};

// Before saving a customer's terms.
Verdict check_payment_terms(const PaymentTerms& terms);

// The due date (BT-9) of an invoice dated `invoice_date`. Throws std::invalid_argument for
// terms check_payment_terms refuses.
Date due_date(const Date& invoice_date, const PaymentTerms& terms);

// "30" or "30 days" → 30 days; "EOM+30", "eom + 30", "end of month + 30" → end of month
// + 30; "0" = cash. Refused otherwise, naming the forms it takes.
Checked<PaymentTerms> parse_payment_terms(std::string_view text);
// The inverse: "30 days", "end of month + 30 days".
std::string describe(const PaymentTerms& terms);

}  // namespace invoicing::domain
