// Documents the output tests render: each a realistic case of its own (a Belgian invoice at
// 21/12/6 %, reverse charge, an intra-EU supply, an export, zero-rated lines, discounts, a
// credit note, a long invoice). Totals are computed by complete_totals(), never typed in.
#pragma once

#include <string>

#include "outputs/document_data.h"

namespace invoicing::outputs::test {

Party belgian_seller();
// Brasserie Zoë & Fils, Liège, French-speaking, with a VAT and an enterprise number.
Party brasserie_zoe();

DocumentData be_domestic_invoice();     // 21, 12 and 6 % lines, discounts, an OGM
DocumentData reverse_charge_invoice();  // AE: construction work for a Belgian contractor
DocumentData intra_eu_invoice();        // K: goods to a Dutch customer (KvK endpoint)
DocumentData export_invoice();          // G: goods to a customer in the United States
DocumentData zero_rated_invoice();      // Z lines beside a 21 % line
DocumentData exempt_invoice();          // E with its reason
DocumentData credit_note();             // corrects be_domestic_invoice()
DocumentData long_invoice(int lines);   // `lines` lines with long descriptions

}  // namespace invoicing::outputs::test
