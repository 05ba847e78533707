#include "licence/licence_check.h"

#include <fmt/format.h>

#include <cctype>

namespace invoicing::licence {

namespace {

constexpr const char* kRunsFree = "running as the Free edition (1 seat)";

// A licence not in force: `reason` says what is wrong, `advice` what to do about it.
Verdict free_verdict(LicenceState s, std::string reason, std::string_view advice = "") {
  Verdict v;
  v.state = s;
  v.edition = domain::Edition::free;
  v.seats = domain::seat_count(domain::Edition::free);
  v.message = fmt::format("{}: {}{}", reason, kRunsFree, advice);
  v.reason = std::move(reason);
  return v;
}

// Signature, key, company and update subscription of a licence file's text. An empty
// `company_vat` with `any_company` accepts every company.
Verdict judge_text(std::string_view text, const std::string& company_vat, bool any_company,
                   const ProgramRelease& program, const std::vector<TrustedKey>& keys) {
  SignedLicence s;
  try {
    s = parse_licence(text);
  } catch (const LicenceError& e) {
    return free_verdict(LicenceState::unreadable,
                        fmt::format("the licence file does not read as a licence ({})", e.what()),
                        "; install the file you received again");
  }
  const Licence& l = s.licence;
  const TrustedKey* key = nullptr;
  for (const auto& k : keys)
    if (k.key.id() == l.key_id) key = &k;
  if (!key) {
    Verdict v = free_verdict(
        LicenceState::unknown_key,
        fmt::format(
            "the licence for {} is signed with a key this program does not know ({}{})", l.licensee,
            l.key_id,
            accepts_test_licences() ? "" : "; test licences are accepted only by test builds"));
    v.licence = l;
    return v;
  }
  if (!verify(s.body, s.signature, key->key)) {
    Verdict v = free_verdict(
        LicenceState::tampered,
        fmt::format("the licence for {} was changed after it was issued (its signature does not "
                    "match its text)",
                    l.licensee),
        "; install the file you received");
    v.licence = l;
    return v;
  }
  if (!(any_company && company_vat.empty()) && vat_key(company_vat) != vat_key(l.vat)) {
    Verdict v = free_verdict(
        LicenceState::other_company,
        fmt::format("the licence is issued to {} ({}), not to this company ({})", l.licensee, l.vat,
                    company_vat.empty() ? "which has no VAT number" : company_vat));
    v.licence = l;
    return v;
  }
  if (program.released > l.updates_until) {
    Verdict v =
        free_verdict(LicenceState::updates_ended,
                     fmt::format("the update subscription of the {} licence ended on {}, and this "
                                 "program (invoicing {}) was "
                                 "released on {}",
                                 domain::edition_name(l.edition), domain::to_iso(l.updates_until),
                                 program.version, domain::to_iso(program.released)),
                     fmt::format(". Program versions released until {} accept the licence; renew "
                                 "the subscription to use this one",
                                 domain::to_iso(l.updates_until)));
    v.licence = l;
    return v;
  }
  Verdict v;
  v.state = LicenceState::valid;
  v.licence = l;
  v.edition = l.edition;
  v.seats = std::min(l.seats, domain::seat_count(l.edition));
  v.message = describe(l);
  return v;
}

}  // namespace

const char* state_name(LicenceState s) {
  switch (s) {
    case LicenceState::none:
      return "none";
    case LicenceState::valid:
      return "valid";
    case LicenceState::demo:
      return "demo";
    case LicenceState::missing:
      return "missing";
    case LicenceState::legacy:
      return "legacy";
    case LicenceState::unreadable:
      return "unreadable";
    case LicenceState::tampered:
      return "tampered";
    case LicenceState::unknown_key:
      return "unknown-key";
    case LicenceState::other_company:
      return "other-company";
    case LicenceState::updates_ended:
      return "updates-ended";
  }
  return "?";
}

std::string vat_key(std::string_view vat) {
  std::string out;
  for (char c : vat)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out.push_back(char(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

std::string describe(const Licence& l) {
  return fmt::format("{} edition, {} seat{}, {} ({}), updates until {}",
                     domain::edition_name(l.edition), l.seats, l.seats == 1 ? "" : "s", l.licensee,
                     l.vat, domain::to_iso(l.updates_until));
}

Verdict judge_licence(const std::optional<std::string>& text, const std::string& read_error,
                      const FolderFacts& folder, const ProgramRelease& program,
                      const std::vector<TrustedKey>& keys) {
  if (!read_error.empty())
    return free_verdict(LicenceState::unreadable,
                        fmt::format("the licence file cannot be read ({})", read_error),
                        "; make it readable, or install the licence file again");
  if (text) return judge_text(*text, folder.company_vat, false, program, keys);
  if (!folder.installed.empty())
    return free_verdict(
        LicenceState::missing,
        fmt::format("the licence installed in this data folder ({}) is missing", folder.installed),
        "; install the licence file again with `invoicing licence install FILE`");
  if (vat_key(folder.company_vat) == kDemoCompanyVat) {
    Verdict v;
    v.state = LicenceState::demo;
    v.edition = kDemoEdition;
    v.seats = domain::seat_count(kDemoEdition);
    v.message = fmt::format("the demo company: the {} edition without a licence",
                            domain::edition_name(kDemoEdition));
    return v;
  }
  if (!folder.legacy_edition.empty())
    return free_verdict(
        LicenceState::legacy,
        fmt::format("the data folder holds only the unsigned licence of an earlier version "
                    "(LICENCE.TXT, edition {}), which is no longer accepted",
                    folder.legacy_edition),
        "; install the signed licence file you received with `invoicing licence install FILE`");
  Verdict none;
  none.message =
      "no licence installed: the Free edition (1 seat); a bought licence is installed with "
      "`invoicing licence install FILE`";
  return none;
}

Verdict judge_new_licence(std::string_view text, const std::string& company_vat,
                          const ProgramRelease& program, const std::vector<TrustedKey>& keys) {
  return judge_text(text, company_vat, true, program, keys);
}

}  // namespace invoicing::licence
