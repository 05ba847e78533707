// The editions the program is sold as, and what each allows: one table (edition.cc), so that
// a gated action can say which edition offers it and the command line and the web front end
// ask the same question. Reading one's own data and taking backups are never gated: no
// Feature stands for them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace invoicing::domain {

enum class Edition { free, basic, pro, full };

const char* edition_name(Edition e);                           // "Free", "Basic", "Pro", "Full"
std::optional<Edition> edition_from_name(std::string_view s);  // any case
// How many programs may work in the company's data at once: 1, 3, 10, 50.
int seat_count(Edition e);

// What an edition may lack. Keep in step with the table in edition.cc and docs/editions.md.
enum class Feature {
  stock,                // stocked articles, opening stock, minimum stock, inventory counts
  imports,              // customers, suppliers and articles from other programs' files
  multiuser_numbering,  // numbers handed out without waiting for each other
  einvoice_delivery,    // sending e-invoices over Peppol
};
// The web front end is not a Feature: it is the product's main front end, every edition's.

const char* feature_name(Feature f);  // "multi-user numbering"
// The smallest edition that offers the feature.
Edition minimum_edition(Feature f);
bool allows(Edition e, Feature f);
// Nothing when `e` offers the feature; else the sentence a refusal shows:
// "multi-user numbering needs the Pro edition or higher (this company runs the Free edition)".
std::optional<std::string> refusal(Edition e, Feature f);

}  // namespace invoicing::domain
