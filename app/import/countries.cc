#include "import/countries.h"

#include <unicode/uloc.h>
#include <unicode/unistr.h>

#include <map>
#include <set>

#include "import/text_fold.h"

namespace invoicing::import {

namespace {

struct CountryNames {
  std::set<std::string> codes;
  std::map<std::string, std::string> by_folded_name;  // also alpha-2 and alpha-3, folded
};

const CountryNames& names() {
  static const CountryNames n = [] {
    CountryNames out;
    for (const char* const* c = uloc_getISOCountries(); *c; ++c) {
      std::string code = *c;
      out.codes.insert(code);
      std::string locale = "en_" + code;
      out.by_folded_name.emplace(fold_key(code), code);
      const char* iso3 = uloc_getISO3Country(locale.c_str());
      if (iso3 && *iso3) out.by_folded_name.emplace(fold_key(iso3), code);
      for (const char* lang : {"nl", "fr", "en", "de"}) {
        UChar buf[128];
        UErrorCode st = U_ZERO_ERROR;
        int32_t len = uloc_getDisplayCountry(locale.c_str(), lang, buf, 128, &st);
        if (U_FAILURE(st) || len <= 0) continue;
        std::string name;
        icu::UnicodeString(buf, len).toUTF8String(name);
        out.by_folded_name.emplace(fold_key(name), code);
      }
    }
    // Names in daily use that are not the official ones.
    for (auto [name, code] : {std::pair{"holland", "NL"},
                              {"hollande", "NL"},
                              {"uk", "GB"},
                              {"engeland", "GB"},
                              {"angleterre", "GB"},
                              {"england", "GB"},
                              {"greatbritain", "GB"},
                              {"grootbrittannie", "GB"},
                              {"usa", "US"},
                              {"groothertogdomluxemburg", "LU"},
                              {"grandduchedeluxembourg", "LU"}}) {
      out.by_folded_name.emplace(name, code);
    }
    return out;
  }();
  return n;
}

}  // namespace

bool is_country_code(std::string_view code) { return names().codes.count(std::string(code)) > 0; }

std::optional<std::string> country_code(std::string_view text) {
  std::string key = fold_key(text);
  if (key.empty()) return std::nullopt;
  const auto& n = names();
  auto it = n.by_folded_name.find(key);
  if (it == n.by_folded_name.end()) return std::nullopt;
  return it->second;
}

}  // namespace invoicing::import
