// Documents read through the store as the writers take them: the store's document, its lines,
// the customer, the articles' units and the company's own data (the seller) become one
// DocumentData. Reads only; nothing here writes company data. One reader serves many
// documents: parties, articles, the seller and the layouts are read once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "outputs/document_data.h"
#include "outputs/layout.h"
#include "store/company.h"
#include "store/company_profile.h"
#include "store/documents.h"
#include "store/records.h"

namespace invoicing::outputs {

// The data folder's layouts/ (layout files and the logo); for a database, its target (the
// files are in its company_file table: read them with the functions below).
std::filesystem::path layouts_dir(const store::Company& c);
// Where a company's layout file is, for people: "/srv/firma/layouts/invoice.ini", or
// "layouts/invoice.ini in the database ...".
std::string layout_place(store::Company& c, const std::string& name);
// The layout of a document type from the company's layout files (store FileKind::layout).
Layout company_layout(store::Company& c, domain::DocType type);
// The seller from the company's profile, its logo from the company's layout files.
Party company_seller(store::Company& c, const store::CompanyProfile& p);

class DocumentReader {
 public:
  explicit DocumentReader(store::Company& c);

  // The document with its lines and totals (complete_totals done). Throws store::UserError
  // when there is no such document.
  DocumentData read(int32_t id);
  // The final (and withdrawn) documents of these types dated from..to (both included), in
  // the order type, fiscal year, number; drafts and cancelled documents are left out.
  std::vector<store::DocView> period(const std::vector<domain::DocType>& types, xbase::Date from, xbase::Date to);

  const Party& seller() const { return seller_; }
  // The layout of a document type from the company's layout files, read once.
  const Layout& layout(domain::DocType type);

 private:
  const store::Party* party(domain::DocType type, int32_t id);

  store::Company& c_;
  store::Documents docs_;
  Party seller_;
  std::map<std::pair<bool, int32_t>, std::optional<store::Party>> parties_;
  std::map<domain::DocType, Layout> layouts_;
};

// The e-invoice's BuyerReference (BT-10) when the customer gave none: Peppol requires a buyer
// or order reference (PEPPOL-EN16931-R003), so the document's own number stands in. Only for
// the UBL; the PDF shows no reference the customer did not give.
void add_buyer_reference(DocumentData& doc);

// An article's unit as a UN/ECE recommendation 20 code: "pc", "st", "stuk" → C62, "h", "u",
// "uur" → HUR, "kg" → KGM, "m" → MTR, ...; a code already (two or three upper-case letters
// and digits) stays; anything else, and no unit, is C62 (one).
std::string unit_code(const std::string& unit);

// "30 dagen na factuurdatum" / "30 jours date de facture" / "30 days after the invoice date";
// 0 days: "contant" / "comptant" / "cash".
std::string payment_terms_text(int days, std::string_view language);

// "2026-03-15" as a date; nullopt when it is not one.
std::optional<xbase::Date> parse_iso_date(const std::string& text);
Date to_date(const xbase::Date& d);

}  // namespace invoicing::outputs
