#include "domain/edition.h"

#include <fmt/format.h>

#include <cctype>

namespace invoicing::domain {

namespace {

struct EditionRow {
  Edition edition;
  const char* name;
  int seats;
};

// The editions in ascending order.
constexpr EditionRow kEditions[] = {
    {Edition::free, "Free", 1},
    {Edition::basic, "Basic", 3},
    {Edition::pro, "Pro", 10},
    {Edition::full, "Full", 50},
};

struct FeatureRow {
  Feature feature;
  const char* name;
  Edition from;
};

constexpr FeatureRow kFeatures[] = {
    {Feature::stock, "stock management", Edition::basic},
    {Feature::imports, "importing customers, suppliers and articles", Edition::basic},
    {Feature::multiuser_numbering, "multi-user numbering", Edition::pro},
    {Feature::einvoice_delivery, "e-invoice delivery", Edition::pro},
};

const EditionRow& row(Edition e) {
  for (const auto& r : kEditions)
    if (r.edition == e) return r;
  return kEditions[0];
}

const FeatureRow& row(Feature f) {
  for (const auto& r : kFeatures)
    if (r.feature == f) return r;
  return kFeatures[0];
}

}  // namespace

const char* edition_name(Edition e) { return row(e).name; }

std::optional<Edition> edition_from_name(std::string_view s) {
  for (const auto& r : kEditions) {
    std::string_view n = r.name;
    if (n.size() != s.size()) continue;
    bool same = true;
    for (size_t i = 0; i < n.size() && same; ++i)
      same = std::tolower(static_cast<unsigned char>(n[i])) ==
             std::tolower(static_cast<unsigned char>(s[i]));
    if (same) return r.edition;
  }
  return std::nullopt;
}

int seat_count(Edition e) { return row(e).seats; }

const char* feature_name(Feature f) { return row(f).name; }

Edition minimum_edition(Feature f) { return row(f).from; }

bool allows(Edition e, Feature f) { return e >= minimum_edition(f); }

std::optional<std::string> refusal(Edition e, Feature f) {
  if (allows(e, f)) return std::nullopt;
  const Edition need = minimum_edition(f);
  return fmt::format("{} needs the {} edition{} (this company runs the {} edition)",
                     feature_name(f), edition_name(need), need == Edition::full ? "" : " or higher",
                     edition_name(e));
}

}  // namespace invoicing::domain
