// The accountant's overview of a period: one table per document type with one row per
// document (number, dates, customer, VAT number, net, VAT, total, status, references) and a
// totals row. Credit notes count negative, so the sums of all sheets add up to the turnover.
// Written with table_writer.h as XLSX (one sheet per type) or CSV (one file per type).
#pragma once

#include <string_view>
#include <vector>

#include "outputs/document_data.h"
#include "outputs/table_writer.h"

namespace invoicing::outputs {

// One table per document type present, in the order invoice, credit note, purchase invoice,
// quote, order, delivery note; rows in the order given. Labels in `language`.
std::vector<Table> overview_tables(const std::vector<DocumentData>& docs, std::string_view language);

}  // namespace invoicing::outputs
