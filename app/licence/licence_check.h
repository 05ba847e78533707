// What a data folder's licence means for this program: the edition and seats in force, and one
// sentence for the person at the workstation. A licence that is damaged, changed, signed by an
// unknown key, issued to another company, or whose update subscription ended before this
// program version was released is refused: the program runs as Free (reading the data and
// taking backups are never refused) and says why, never silently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "domain/edition.h"
#include "licence/licence.h"
#include "licence/trusted_keys.h"

namespace invoicing::licence {

enum class LicenceState {
  none,           // no licence, none ever installed: the Free edition, nothing wrong
  valid,          // the licence is in force
  demo,           // the demo company (kDemoCompanyVat) without a licence: the Pro edition
  missing,        // one was installed (the data says so) but its file is gone
  legacy,         // only the unsigned LICENCE.TXT an earlier version wrote
  unreadable,     // the file does not read as a licence
  tampered,       // its signature does not match its text
  unknown_key,    // signed by a key this program does not know
  other_company,  // issued to another VAT number than the company's
  updates_ended,  // genuine, but this program was released after its update subscription ended
};

const char* state_name(LicenceState s);  // "valid", "tampered", ... (for --json)

// The demo company's VAT number (`invoicing demo`, `init --demo`): such a folder runs as Pro
// without a licence, so that the demo shows several workstations. Its invoices carry this
// number, so it is no way to run a business; the store refuses to change it.
inline constexpr std::string_view kDemoCompanyVat = "BE0477472701";
inline constexpr domain::Edition kDemoEdition = domain::Edition::pro;

// This program: its version and the day it was released (set in CMake with the version).
struct ProgramRelease {
  std::string version;
  domain::Date released{};
};

struct Verdict {
  LicenceState state = LicenceState::none;
  std::optional<Licence> licence;                   // whenever the file could be read
  domain::Edition edition = domain::Edition::free;  // in force
  int seats = 1;                                    // in force
  std::string reason;   // when refused: what is wrong with it ("" otherwise)
  std::string message;  // one line: what was found, what it means and, when refused, what to do
  bool in_force() const { return state == LicenceState::valid || state == LicenceState::demo; }
  // Whether the program should say so whenever it starts (a paid licence not in force).
  bool needs_note() const { return !in_force() && state != LicenceState::none; }
};

// What the store knows about the folder besides the licence file's text.
struct FolderFacts {
  std::string company_vat;     // SETTINGS vat (may be empty)
  std::string installed;       // what the last `licence install` recorded ("" when never)
  std::string legacy_edition;  // the edition= of an unsigned LICENCE.TXT ("" when none)
};

// `text`: the licence file's bytes, nothing when there is none. `read_error`: set when the
// file exists but could not be read (permissions, I/O).
Verdict judge_licence(const std::optional<std::string>& text, const std::string& read_error,
                      const FolderFacts& folder, const ProgramRelease& program,
                      const std::vector<TrustedKey>& keys = trusted_keys());

// The checks `licence install` makes before writing: the signature and key; the company (when
// `company_vat` is empty any company's licence fits: installing it names the company). The
// update subscription is not a reason to refuse the file (older program versions on other
// workstations accept it); the verdict says what this program makes of it.
Verdict judge_new_licence(std::string_view text, const std::string& company_vat,
                          const ProgramRelease& program,
                          const std::vector<TrustedKey>& keys = trusted_keys());

// "BE 0431.115.213" -> "BE0431115213": what VAT numbers are compared as.
std::string vat_key(std::string_view vat);

// One line describing a licence: "Pro edition, 10 seats, Bakkerij Peeters (BE0431115213),
// updates until 2027-12-31".
std::string describe(const Licence& l);

}  // namespace invoicing::licence
