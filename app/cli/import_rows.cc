#include "import_rows.h"

namespace invoicing::cli {

namespace {

// A field's index in its target, found once (rows are converted 100,000 at a time).
struct FieldIndex {
  size_t i;
  FieldIndex(import::Target t, const char* name) : i(size_t(import::target_def(t).index(name))) {}
};

std::optional<std::string> text(const import::ImportRow& r, const FieldIndex& f) {
  auto v = r.at(f.i);
  if (v.empty()) return std::nullopt;
  return std::string(v);
}

std::optional<bool> flag(const import::ImportRow& r, const FieldIndex& f) {
  auto v = r.at(f.i);
  if (v.empty()) return std::nullopt;
  return v == "1";
}

}  // namespace

store::PartyRecord party_record(const import::ImportRow& r) {
  // Customers and suppliers have the same fields in the same order.
  using T = import::Target;
  static const FieldIndex code(T::customers, "code"), name(T::customers, "name"),
      street(T::customers, "street"), zip(T::customers, "zip"), city(T::customers, "city"),
      country(T::customers, "country"), vat(T::customers, "vat"),
      entno(T::customers, "enterprise_number"), email(T::customers, "email"),
      phone(T::customers, "phone"), iban(T::customers, "iban"), bic(T::customers, "bic"),
      lang(T::customers, "lang"), note(T::customers, "note"), business(T::customers, "business"),
      renovation(T::customers, "renovation"), contractor(T::customers, "contractor"),
      archived(T::customers, "archived");
  store::PartyRecord p;
  auto& in = p.input;
  in.code = text(r, code);
  in.name = text(r, name);
  in.street = text(r, street);
  in.zip = text(r, zip);
  in.city = text(r, city);
  in.country = text(r, country);
  in.vat = text(r, vat);
  in.enterprise_no = text(r, entno);
  in.email = text(r, email);
  in.phone = text(r, phone);
  in.iban = text(r, iban);
  in.bic = text(r, bic);
  if (auto t = r.integer("terms")) in.terms = std::to_string(*t);
  in.lang = text(r, lang);
  in.note = text(r, note);
  in.business = flag(r, business);
  in.renovation = flag(r, renovation);
  in.contractor = flag(r, contractor);
  p.archived = flag(r, archived);
  return p;
}

store::ArticleRecord article_record(const import::ImportRow& r) {
  using T = import::Target;
  static const FieldIndex code(T::articles, "code"), description(T::articles, "description"),
      unit(T::articles, "unit"), price(T::articles, "price"), vat_rate(T::articles, "vat_rate"),
      vat_category(T::articles, "vat_category"), kind(T::articles, "kind"),
      stocked(T::articles, "stocked"), stock(T::articles, "stock"),
      min_stock(T::articles, "min_stock"), construction(T::articles, "construction"),
      note(T::articles, "note"), archived(T::articles, "archived");
  store::ArticleRecord a;
  auto& in = a.input;
  in.code = text(r, code);
  in.description = text(r, description);
  in.unit = text(r, unit);
  in.price = text(r, price);
  in.vat_rate = text(r, vat_rate);
  in.vat_category = text(r, vat_category);
  // Only category S has a rate: a file that gives "Z" (or E, AE, K, G) alone means 0 %.
  if (in.vat_category && *in.vat_category != "S" && !in.vat_rate) in.vat_rate = "0";
  in.kind = text(r, kind);
  in.stocked = flag(r, stocked);
  in.opening_stock = text(r, stock);
  in.min_stock = text(r, min_stock);
  in.construction = flag(r, construction);
  in.note = text(r, note);
  a.archived = flag(r, archived);
  return a;
}

}  // namespace invoicing::cli
