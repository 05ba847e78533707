// The JSON API the page works through: every read and every change goes to app/store (and
// the PDF to app/outputs) exactly as the command line's do. Answers are JSON; a refusal of
// the store (UserError and its kinds) is {"error": the store's message, "kind": ...} with a
// 4xx status, anything else that escapes is {"error": ...} with 500: the page shows the
// message, never a blank page.
//
//   GET  /api/session                       who, which company, the CSRF token for POSTs
//   GET  /api/dashboard                     drafts, open and overdue invoices, low stock, seats
//   GET  /api/customers?search=&offset=&limit=     POST /api/customers (new)
//   GET  /api/customers/CODE                POST /api/customers/CODE (edit)
//   GET  /api/suppliers?... and /api/suppliers/CODE, POST as for customers
//   GET  /api/vat-check?number=BE...        the VAT number check of app/domain
//   GET  /api/articles?search=&offset=&limit=      POST /api/articles (new)
//   GET  /api/documents?type=INV&status=D&offset=&limit=   POST /api/documents (new draft)
//   GET  /api/documents/ID                  with lines and totals
//   POST /api/documents/ID/lines            add a line; .../lines/N/remove
//   POST /api/documents/ID/preview          the totals with a line being typed (not stored)
//   POST /api/documents/ID/finalize | convert {"to":"INV"} | credit
//   GET  /api/documents/ID/pdf?lang=nl      the PDF (app/outputs)
//   GET  /api/settings                      the company's global settings, and apart from
//                                           them this workstation's local ones
//   GET  /api/safety                        what makes the data folder unsafe (checked at start)
//   POST /api/safety/check                  checks again (after the user fixed it)
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/company.h"
#include "web/server.h"

namespace invoicing::web {

// Something that makes working in the data folder unsafe: a sync client managing it, a
// conflict copy beside the tables, a failed lock test (the `xbase doctor` checks). The page
// shows them as a blocking warning, each with what to do.
struct SafetyFinding {
  std::string group, message, fix;
};
using SafetyCheck = std::function<std::vector<SafetyFinding>()>;

// This workstation's own settings (kept on it, never in the shared data folder): the file
// they are in, each key with its value, where it applies ("" every data folder, else this
// one) and what it does. Shown apart from the company's settings.
struct LocalSetting {
  std::string key, value, scope, meaning;
};
struct LocalSettings {
  std::string file;
  std::vector<LocalSetting> settings;
};
using LocalSettingsRead = std::function<LocalSettings()>;
// Changes one (key, for every data folder or this one, value) with the command line's checks
// (throws store::UserError); returns what was done.
using LocalSettingsWrite = std::function<std::string(const std::string& key, bool every_folder, const std::string& value)>;

class Api {
 public:
  // `check`: run now and again on POST /api/safety/check (none: nothing is checked).
  Api(store::Company& c, std::string csrf, SafetyCheck check = {})
      : c_(c), csrf_(std::move(csrf)), check_(std::move(check)), own_seat_(c.seat()) {
    if (check_) safety_ = check_();
  }
  ApiResponse handle(const ApiRequest& r);
  // The seat this process holds, when `c` is a second, seatless handle on the same data: the
  // dashboard says "this workstation" and a draft this process edits is not "in use".
  void set_own_seat(int seat) { own_seat_ = seat; }
  const std::vector<SafetyFinding>& safety() const { return safety_; }
  // Where GET /api/settings reads this workstation's settings from (none: not shown), and
  // how POST /api/settings/local changes one (none: refused).
  void set_local_settings(LocalSettingsRead read, LocalSettingsWrite write = {}) {
    local_ = std::move(read);
    local_write_ = std::move(write);
  }

 private:
  store::Company& c_;
  std::string csrf_;
  SafetyCheck check_;
  std::vector<SafetyFinding> safety_;
  LocalSettingsRead local_;
  LocalSettingsWrite local_write_;
  int own_seat_ = 0;
};

}  // namespace invoicing::web
