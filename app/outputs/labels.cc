#include "outputs/labels.h"

#include <fmt/format.h>

#include <cctype>

#include "domain/document_label.h"
#include "outputs/text_clean.h"

namespace invoicing::outputs {

namespace {

int lang_index(std::string_view language) {
  if (language == "nl" || language == "NL") return 0;
  if (language == "fr" || language == "FR") return 1;
  return 2;
}

struct Words {
  Label key;
  const char* text[3];
};

// nl, fr, en.
constexpr Words kWords[] = {
    {Label::date, {"Datum", "Date", "Date"}},
    {Label::due_date, {"Vervaldatum", "Échéance", "Due date"}},
    {Label::payment_terms, {"Betalingsvoorwaarden", "Conditions de paiement", "Payment terms"}},
    {Label::customer_reference, {"Uw referentie", "Votre référence", "Your reference"}},
    {Label::order_reference, {"Uw bestelling", "Votre commande", "Your order"}},
    {Label::corrects, {"Creditering van", "Note de crédit pour", "Credit note for"}},
    {Label::of_date, {"van", "du", "of"}},
    {Label::vat_number, {"Btw", "TVA", "VAT"}},
    {Label::enterprise_number, {"Ondernemingsnr.", "N° d'entreprise", "Company no."}},
    {Label::kvk, {"KvK", "KvK", "KvK"}},
    {Label::code, {"Code", "Code", "Code"}},
    {Label::description, {"Omschrijving", "Description", "Description"}},
    {Label::quantity, {"Aantal", "Quantité", "Quantity"}},
    {Label::unit, {"Eenh.", "Unité", "Unit"}},
    {Label::unit_price, {"Eenh.prijs", "Prix unit.", "Unit price"}},
    {Label::delivery_date, {"Leveringsdatum", "Date de livraison", "Delivery date"}},
    {Label::discount, {"Korting", "Remise", "Discount"}},
    {Label::vat_rate, {"Btw %", "TVA %", "VAT %"}},
    {Label::net, {"Bedrag", "Montant", "Amount"}},
    {Label::vat_category, {"Btw-categorie", "Catégorie TVA", "VAT category"}},
    {Label::vat_base, {"Maatstaf", "Base", "Base"}},
    {Label::vat_amount, {"Btw", "TVA", "VAT"}},
    {Label::total_excl, {"Totaal excl. btw", "Total hors TVA", "Total excl. VAT"}},
    {Label::total_vat, {"Totaal btw", "Total TVA", "Total VAT"}},
    {Label::total_incl, {"Totaal incl. btw", "Total TVA comprise", "Total incl. VAT"}},
    {Label::to_pay, {"Te betalen", "À payer", "To pay"}},
    {Label::payment, {"Betaling", "Paiement", "Payment"}},
    {Label::iban, {"IBAN", "IBAN", "IBAN"}},
    {Label::bic, {"BIC", "BIC", "BIC"}},
    {Label::communication, {"Mededeling", "Communication", "Reference"}},
    {Label::scan_to_pay, {"Scan om te betalen", "Scannez pour payer", "Scan to pay"}},
    {Label::page, {"pagina", "page", "page"}},
    {Label::customer, {"Klant", "Client", "Customer"}},
    {Label::continued, {"vervolg", "suite", "continued"}},
};

}  // namespace

std::string type_label(domain::DocType type, std::string_view language) {
  std::string name = domain::doc_type_name(type, language);
  name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));  // every name starts in ASCII
  return name;
}

std::string document_title(const DocumentData& doc, std::string_view language) {
  std::string number = display_number(doc);
  // Also "conceptfactuur (document 17)", "cancelled invoice (document 17)": the type's name
  // anywhere in the label.
  const std::string lowered = lower_ascii(number);
  for (const char* lang : {"nl", "fr", "en"})
    if (lowered.find(lower_ascii(domain::doc_type_name(doc.type, lang))) != std::string::npos) {
      number[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(number[0])));  // labels start in ASCII
      return number;
    }
  return type_label(doc.type, language) + " " + number;
}

const char* label(Label key, std::string_view language) {
  for (const Words& w : kWords) {
    if (w.key == key) return w.text[lang_index(language)];
  }
  return "";
}

std::string format_number(const domain::Decimal& value, std::string_view language, int decimals) {
  std::string plain;
  if (decimals >= 0 || (decimals == -2 && value.round(2) == value)) {
    plain = value.to_string(decimals >= 0 ? decimals : 2);
  } else {
    plain = value.to_string();
    if (plain.find('.') != std::string::npos) {
      while (plain.back() == '0') plain.pop_back();
      if (plain.back() == '.') plain.pop_back();
    }
  }
  const int l = lang_index(language);
  const char* thousands = l == 0 ? "." : l == 1 ? "\u00A0" : ",";
  const char decimal_mark = l == 2 ? '.' : ',';
  bool negative = !plain.empty() && plain[0] == '-';
  if (negative) plain.erase(0, 1);
  auto dot = plain.find('.');
  std::string int_part = plain.substr(0, dot);
  std::string out;
  for (size_t i = 0; i < int_part.size(); ++i) {
    if (i > 0 && (int_part.size() - i) % 3 == 0) out += thousands;
    out += int_part[i];
  }
  if (dot != std::string::npos) out += decimal_mark + plain.substr(dot + 1);
  return negative ? "-" + out : out;
}

std::string format_date(const Date& date, std::string_view language) {
  const int d = static_cast<int>(static_cast<unsigned>(date.day()));
  const int m = static_cast<int>(static_cast<unsigned>(date.month()));
  const int y = static_cast<int>(date.year());
  if (lang_index(language) < 2) return fmt::format("{:02d}/{:02d}/{:04d}", d, m, y);
  static const char* const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{} {} {}", d, m >= 1 && m <= 12 ? months[m - 1] : "?", y);
}

}  // namespace invoicing::outputs
