#include "outputs/document_overview.h"

#include "outputs/labels.h"

namespace invoicing::outputs {

namespace {

using domain::DocType;

const char* status_text(domain::DocStatus s, std::string_view lang) {
  const int l = lang == "nl" ? 0 : lang == "fr" ? 1 : 2;
  static const char* const t[][3] = {{"ontwerp", "brouillon", "draft"},
                                     {"definitief", "définitif", "final"},
                                     {"geannuleerd", "annulé", "cancelled"},
                                     {"ingetrokken", "retiré", "withdrawn"}};
  return t[static_cast<int>(s)][l];
}

const char* heading(int column, std::string_view lang) {
  const int l = lang == "nl" ? 0 : lang == "fr" ? 1 : 2;
  static const char* const t[][3] = {
      {"Nummer", "Numéro", "Number"},         {"Datum", "Date", "Date"},
      {"Vervaldatum", "Échéance", "Due date"}, {"Klant", "Client", "Customer"},
      {"Btw-nummer", "N° TVA", "VAT number"}, {"Maatstaf", "Base", "Net"},
      {"Btw", "TVA", "VAT"},                  {"Totaal", "Total", "Total"},
      {"Status", "Statut", "Status"},         {"Referentie", "Référence", "Reference"},
      {"Mededeling", "Communication", "Payment reference"}, {"Totaal", "Total", "Total"}};
  return t[column][l];
}

}  // namespace

std::vector<Table> overview_tables(const std::vector<DocumentData>& docs, std::string_view lang) {
  std::vector<Table> out;
  for (DocType type : {DocType::invoice, DocType::credit_note, DocType::purchase_invoice, DocType::quote,
                       DocType::order, DocType::delivery_note}) {
    Table t;
    t.name = type_label(type, lang);
    const CellType kinds[] = {CellType::text, CellType::date,  CellType::date,  CellType::text,
                              CellType::text, CellType::money, CellType::money, CellType::money,
                              CellType::text, CellType::text,  CellType::text};
    for (int c = 0; c < 11; ++c) t.columns.push_back({heading(c, lang), kinds[c], c >= 5 && c <= 7, 0});
    t.columns[3].width = 32;
    t.columns[0].width = 16;
    t.totals_label = heading(11, lang);
    // A credit note takes turnover back: its amounts count negative here.
    const domain::Decimal sign = domain::Decimal::from_integer(type == DocType::credit_note ? -1 : 1);
    for (const DocumentData& d : docs) {
      if (d.type != type) continue;
      std::vector<Cell> row;
      row.emplace_back(display_number(d));
      row.emplace_back(d.issue_date);
      if (d.due_date) row.emplace_back(*d.due_date); else row.emplace_back(std::monostate{});
      row.emplace_back(d.buyer.name);
      row.emplace_back(d.buyer.vat_number);
      row.emplace_back(d.totals.total_excl * sign);
      row.emplace_back(d.totals.total_vat * sign);
      row.emplace_back(d.totals.total_incl * sign);
      row.emplace_back(std::string(status_text(d.status, lang)));
      row.emplace_back(d.customer_reference.empty() ? d.order_reference : d.customer_reference);
      row.emplace_back(d.payment_reference);
      t.rows.push_back(std::move(row));
    }
    if (!t.rows.empty()) out.push_back(std::move(t));
  }
  return out;
}

}  // namespace invoicing::outputs
