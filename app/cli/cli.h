// What the `invoicing` commands share: arguments, the data folder to use, output.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/cli/command_args.h"
#include "common/text/json_text.h"
#include "domain/document.h"
#include "domain/money.h"
#include "store/company.h"
#include "xbase/path_text.h"

namespace invoicing::cli {

// Arguments, settings and messages are UTF-8 text; a path made of one goes through
// path_from_utf8 (a narrow string is ANSI on Windows), and back through path_utf8.
using xbase::path_from_utf8;
using xbase::path_utf8;

// An environment variable as UTF-8 text, empty when it is not set (read wide on Windows).
std::string environment_text(const char* name);

using common::cli::Args;
using common::cli::UsageError;

// Options every command takes: --data DIR, --user NAME, --workstation NAME, --json.
Args parse(int argc, char** argv, int first, std::set<std::string> valued, std::set<std::string> flags);

// The data folder: --data, else $INVOICING_DATA, else the workstation's local settings.
std::string data_dir(const Args& a);
store::Identity identity(const Args& a);
// `one_command`: the company serves this one command (settings are read once); false for a
// command that runs many actions on and on (`invoicing work`).
std::unique_ptr<store::Company> open_company(const Args& a, bool take_seat = true, bool one_command = true);

// Local settings (per workstation, never in the share): $XDG_CONFIG_HOME/xbase-invoicing/
// local.ini (~/.config/... when unset); `data=DIR`, and per data folder `[DIR]` sections.
std::string local_setting(const std::string& key, const std::string& section = "");
void set_local_setting(const std::string& key, const std::string& value, const std::string& section = "");
std::string local_settings_path();
// A local setting changed as its command changes it, checked the same way (the command line
// and the settings page of `invoicing ui` both call this): `data` (every data folder: a
// company's folder), and in the section of data folder `section` (or "" for every one)
// `user`, `pdf_dir` (made when missing), `backup_dir`. Folders are kept absolute; "" clears
// (not `data`). Throws store::UserError naming what is wrong; returns what was done.
std::string change_local_setting(const std::string& key, const std::string& value, const std::string& section);

using common::json_string;

// A decimal as JSON text ("12.50"): amounts keep their exact digits.
std::string json_decimal(const domain::Decimal& d, int scale = -1);
std::string date_text(const std::optional<xbase::Date>& d);  // "2026-12-02", "" when none
// --NAME YYYY-MM-DD; nullopt when absent, a usage error when not a date.
std::optional<xbase::Date> date_option(const Args& a, const std::string& name);
// A positional id ("17"); a usage error naming `what` otherwise.
int32_t id_of(const std::string& text, const char* what);
// One subcommand's options out of those its command parsed: any other is a usage error naming
// it (--date is an option of `doc new`, not of `doc list`). --data/--user/--workstation/--json
// are always allowed.
void only_options(const Args& a, const std::string& command, const std::set<std::string>& allowed);
// The usage error text for a word no command takes, with the hint for the usual cause.
std::string unexpected(const std::string& word);
// Document types as the command line spells them: quote, order, delivery-note, invoice,
// credit-note, purchase-invoice (or their codes QUO, ORD, ...).
domain::DocType parse_doc_type(const std::string& s);
const char* doc_type_word(domain::DocType t);

int cmd_init(int argc, char** argv);
int cmd_party(int argc, char** argv, bool supplier);
int cmd_article(int argc, char** argv);
int cmd_doc(int argc, char** argv);
int cmd_payment(int argc, char** argv);
int cmd_audit(int argc, char** argv);
int cmd_open_items(int argc, char** argv);
int cmd_reminders(int argc, char** argv);
int cmd_bank(int argc, char** argv);
int cmd_year(int argc, char** argv);
int cmd_setting(int argc, char** argv);
int cmd_stock(int argc, char** argv);
int cmd_numbering(int argc, char** argv);
int cmd_seats(int argc, char** argv);
int cmd_verify(int argc, char** argv);
int cmd_repair_indexes(int argc, char** argv);
int cmd_migrate(int argc, char** argv);
int cmd_use(int argc, char** argv);
int cmd_demo(int argc, char** argv);
int cmd_work(int argc, char** argv);
int cmd_backup(int argc, char** argv);
int cmd_restore(int argc, char** argv);
int cmd_doc_output(int argc, char** argv);  // doc pdf|ubl
int cmd_export(int argc, char** argv);
int cmd_company(int argc, char** argv);
int cmd_layout(int argc, char** argv);
int cmd_pdf_dir(int argc, char** argv);
int cmd_deliver(int argc, char** argv);  // cmd_deliver.cc: deliver, deliver target|mount
int cmd_purchase(int argc, char** argv);  // cmd_purchase.cc: purchase import|original

// The folder this workstation writes the PDF of each finalized document into, for the data
// folder `data` (local setting pdf_dir in its section); "" when none.
std::string pdf_dir_setting(const std::string& data);
// After document `id` was finalized: its PDF into the PDF folder when one is set, never over
// an existing file (a second one is named "invoice-2026-0042-2.pdf"). Returns false after
// saying on stderr why it could not be written (the document stays final).
bool write_finalized_pdf(store::Company& c, int32_t id, bool json);
// Whether write_finalized_pdf writes a PDF on this workstation (its PDF folder is set).
bool finalized_pdf_due(store::Company& c);
// The demo company's own data (address, enterprise number, IBAN), so its documents make
// valid e-invoices.
void fill_demo_company(store::Company& c);
int cmd_import(int argc, char** argv);
int cmd_export_records(int argc, char** argv);  // export customers|suppliers|articles
int cmd_licence(int argc, char** argv);        // cmd_licence.cc: licence install|show
int cmd_version(int argc, char** argv);        // cmd_licence.cc
int cmd_setup_install(int argc, char** argv);  // cmd_setup_install.cc: setup server|workstation
int cmd_ui(int argc, char** argv);             // cmd_ui.cc: the web front end (app/web)

// The demo company (Belgian, Dutch and French names) put into a new data folder.
void fill_demo(store::Company& c, unsigned seed);

}  // namespace invoicing::cli
