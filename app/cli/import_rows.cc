#include "import_rows.h"

namespace invoicing::cli {

namespace {

std::optional<std::string> text(const import::ImportRow& r, std::string_view field) {
  auto v = r.get(field);
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

}  // namespace

store::PartyRecord party_record(const import::ImportRow& r) {
  store::PartyRecord p;
  auto& in = p.input;
  in.code = text(r, "code");
  in.name = text(r, "name");
  in.street = text(r, "street");
  in.zip = text(r, "zip");
  in.city = text(r, "city");
  in.country = text(r, "country");
  in.vat = text(r, "vat");
  in.enterprise_no = text(r, "enterprise_number");
  in.email = text(r, "email");
  in.phone = text(r, "phone");
  in.iban = text(r, "iban");
  in.bic = text(r, "bic");
  in.terms = r.integer("terms");
  in.lang = text(r, "lang");
  in.note = text(r, "note");
  in.business = r.boolean("business");
  in.renovation = r.boolean("renovation");
  in.contractor = r.boolean("contractor");
  p.archived = r.boolean("archived");
  return p;
}

store::ArticleRecord article_record(const import::ImportRow& r) {
  store::ArticleRecord a;
  auto& in = a.input;
  in.code = text(r, "code");
  in.description = text(r, "description");
  in.unit = text(r, "unit");
  in.price = text(r, "price");
  in.vat_rate = text(r, "vat_rate");
  in.vat_category = text(r, "vat_category");
  // Only category S has a rate: a file that gives "Z" (or E, AE, K, G) alone means 0 %.
  if (in.vat_category && *in.vat_category != "S" && !in.vat_rate) in.vat_rate = "0";
  in.kind = text(r, "kind");
  in.stocked = r.boolean("stocked");
  in.opening_stock = text(r, "stock");
  in.min_stock = text(r, "min_stock");
  in.construction = r.boolean("construction");
  in.note = text(r, "note");
  a.archived = r.boolean("archived");
  return a;
}

}  // namespace invoicing::cli
