// invoicing: the command line of the invoicing product (app/store on the xbase engine).
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "cli.h"
#include "common/cli/utf8_args.h"
#include "store/dictionary.h"
#include "xbase/error.h"

namespace {

const char* kUsage = R"USAGE(usage: invoicing COMMAND [options]   (every command: --data DIR | --db postgresql://...
                                                           --user NAME --json)

company
  init DIR [--company NAME] [--vat BE0123456749] [--licence FILE] [--demo]
  use DIR [--user NAME]                   the data folder this workstation works in
  setup server DIR [--company N --vat V --licence F] [--share NAME] [--samba-include FILE] [--smb-conf FILE]
                                          creates or adopts the shared data folder, checks it with
                                          xbase doctor, writes the Samba share settings to include
  setup workstation //SERVER/SHARE[/DIR] | MOUNTPOINT [--mount DIR] [--user NAME]
                                          this workstation works in that folder (checked first)
  licence install FILE | licence show     the signed licence: edition, seats, update subscription
  version                                 program version and release, the data folder's schema
                                          version, edition and licensee (also --version)
  setting [KEY [VALUE]]                   the company's settings (address, fiscal year start, date limits,
                                          negative_stock warn|refuse, reminder intervals, ...)
  year list | year close YEAR             fiscal years; a closed one takes no document any more
customers, suppliers, articles
  customer add --code C --name N [--street --zip --city --country --vat --enterprise-no --email --phone
               --iban --bic --terms 30|EOM+30 --lang nl|fr|en|de --note] [--private|--business]
               [--contractor] [--renovation-attestation]
  customer edit --code C [...] [--vat ""] [--no-contractor] [--no-renovation-attestation]
  customer list [--search TEXT] [--archived] | customer delete|archive|unarchive --code C
  supplier ...                            as customer
  article add --code C --descr D --price P [--vat-rate 21] [--vat-cat S] [--unit pc] [--kind G|S]
              [--construction] [--stock Q] [--min Q]
  article edit --code C [...] | article list [--search TEXT] [--archived] | article moves --code C
  article count --code C --counted Q [--reason R] | article delete|archive|unarchive --code C
  stock [--below-minimum]                 stock, minimum, on order (draft purchase invoices), what to order
documents
  doc new --type quote|order|delivery-note|invoice|credit-note|purchase-invoice --party CODE [--date Y-M-D]
  doc add-line ID [--article CODE] [--text T] [--qty Q] [--price P] [--disc PCT] [--vat-rate R]
                  [--vat-cat S|Z|E|AE|K|G [--vat-reason TEXT]] [--kind G|S]
  doc edit-line ID LINE [...] | doc remove-line ID LINE
  doc set ID [--party CODE] [--date D] [--ref CUSTOMER-REF] [--note T] | doc delete ID | doc cancel ID
  doc finalize ID [--redate]              numbers it in date order, VAT for the customer, stock, due date
  doc convert ID --to TYPE [--finalize] [--date D]   quote -> order -> delivery-note -> invoice, once each
  doc credit INVOICE-ID [--lines 1,3 | --line N --qty Q | --amount A [--line N]] [--finalize]
  doc withdraw ID                         a final quote or order called off (kept on file)
  doc show ID [--lang nl|fr|en] | doc list [--type T] [--status S] [--customer C] [--year Y] [--from D]
                  [--to D] [--number-from N] [--number-to N] [--open] [--overdue]
payments
  payment add DOC --amount A [--date D] [--method transfer|cash|card|debit|other] [--ref TEXT]
  payment list [--doc ID] | payment delete ID
  bank import FILE [--dry-run]            CODA or camt.053: transfers matched to open invoices become payments
  open-items [--customer C] [--as-of D]   what each customer still owes, with ageing
  reminders [--as-of D] [--record]        first, second and last reminders due (--record: sent today)
documents out
  doc pdf ID [--out FILE|-] [--lang nl|fr|en]   the document as PDF (default: invoice-2026-0042.pdf here)
  doc ubl ID [--out FILE|-]              Peppol BIS 3.0 e-invoice (invoice or credit note) with its PDF inside
  export --from Y-M-D --to Y-M-D [--type invoice|credit-note|all|quote|...] --format pdf|ubl|pdf+ubl --zip FILE.zip
  export --from Y-M-D --to Y-M-D [--type ...] --format xlsx|csv [--out FILE] [--lang nl|fr|en]
  company show | company set [--name --street --postcode --city --country --vat --enterprise-no --iban --bic
               --email --phone --logo FILE|--no-logo --peppol-id S:V]   the company's data on its documents
  layout show TYPE | layout reset TYPE|default | layout set TYPE|default FILE   the PDF layout files (a folder's layouts/)
  pdf-dir [FOLDER | --off]                where this workstation keeps the PDF of each finalized document
  deliver [--once | --watch [--interval S]] [--since Y-M-D] [--force ID]   every final invoice and credit note
                                          (e-invoice with its PDF inside) to each accounting target, once;
                                          --export-log FILE.zip: logs, configuration and record for support
  deliver target add NAME --sales TEMPLATE --purchase TEMPLATE [--pdf] | deliver target list | target remove NAME
                                          templates: \\SERVER\Share\[enterprise_identifier]\inbound, /srv/acc/...;
                                          [enterprise_name] [enterprise_identifier] [accounting_file_id]
  deliver mount add '\\SERVER\Share' /mnt/DIR [--local] | deliver mount list | mount remove '\\SERVER\Share'
                                          where this server reaches a share (--local: its own folder, not a mount)
  purchase import FILE.xml|DIR [--create-supplier]   suppliers' e-invoices (UBL) as final purchase invoices;
                                          the same file or supplier+number again is skipped
  purchase import DIR --watch [--interval 5]   takes every *.xml dropped there, once it stands still
  purchase original ID [--xml FILE] [--pdf FILE]   the e-invoice and PDF kept with an imported purchase invoice
the shared data
  numbering [mode serialized|multiuser [--wait S]]
  seats                                   the edition's seats and who holds them
  audit [--doc ID] [--user USER|WORKSTATION] [--action A] [--from D] [--to D] [--last 50 | --all]
                                          who finalized, converted, paid, corrected or restored what, and when
  verify [--fix]                          numbers gap-free and in date order, stock = moves, totals = lines,
                                          conversions and credit notes, payments and open items, every index;
                                          --fix first computes the open amounts kept on invoices again
  repair-indexes                          rebuilds the indexes the data dictionary declares (everyone out)
  migrate --data DIR --to postgresql://...   moves the company into an empty PostgreSQL database (everyone
                                          out), compares every record, marks the folder as moved
  migrate --from postgresql://... --data DIR   moves it back into a new data folder
  backup [--to DIR] [--with-pdf] [--auto]   a ZIP of the company as of one moment (others keep working)
  backup config [--dir DIR] [--keep-daily N] [--keep-weekly N]   where backups go, how many --auto keeps
  restore FILE.zip [--mode replace|append] [--ignore-faulty] [--dry-run]   checked whole, then swapped in or added
  import customers|suppliers|articles FILE [--map "Column=field,..."] [--profile NAME] [--save-profile NAME]
         [--sheet NAME] [--on-duplicate skip|update|fail] [--dry-run] [--report FILE.csv] [--skip-bad]
                                          CSV/TXT, XLSX or XLS in one commit, or nothing (docs/import.md)
  export customers|suppliers|articles [--format csv|xlsx] [--out FILE]   every field; imports back unchanged
  ui [--port N] [--no-browser]           the web front end on 127.0.0.1: prints its URL (with this start's
                                          session token) and opens the browser on it
  demo [--data DIR] [--workstations 3] [--docs 100] [--numbering multiuser]
dates are YYYY-MM-DD; INVOICING_TODAY=YYYY-MM-DD fixes "today" (tests, demonstrations)
exit codes: 0 done, 1 refused or problems found (the message says why), 2 usage or I/O error
)USAGE";

// The data dictionary's length of each text option that add/edit store in a field, so the help
// says how long a code or a name may be.
std::string field_limits(const std::string& cmd) {
  using invoicing::store::Tbl;
  namespace fld = invoicing::store::fld;
  std::vector<std::pair<const char*, std::string_view>> options;
  Tbl table = Tbl::customer;
  if (cmd == "customer" || cmd == "supplier") {
    table = cmd == "customer" ? Tbl::customer : Tbl::supplier;
    options = {{"code", fld::code},   {"name", fld::name},   {"street", fld::street}, {"zip", fld::zip},
               {"city", fld::city},   {"country", fld::country}, {"vat", fld::vat}, {"enterprise-no", fld::enterprise_no},
               {"email", fld::email}, {"phone", fld::phone}, {"iban", fld::iban}, {"bic", fld::bic}};
  } else if (cmd == "article") {
    table = Tbl::article;
    options = {{"code", fld::code}, {"descr", fld::descr}, {"unit", fld::unit}};
  } else {
    return "";
  }
  std::string out = "at most (characters):";
  for (const auto& [option, field] : options)
    if (const auto* f = invoicing::store::field_def(table, field)) out += fmt::format(" --{} {}", option, f->length);
  return out + "\n";
}

// `invoicing CMD [SUB] --help`: the lines of kUsage about that command (a line starting with it
// and the lines indented under it), narrowed to the subcommand when a line names it. Empty when
// kUsage has no such command.
std::string usage_of(const std::string& cmd, const std::string& sub) {
  const std::string look = cmd == "supplier" ? "customer" : cmd == "license" ? "licence" : cmd;
  std::vector<std::string> groups;
  bool in_group = false;
  std::istringstream in(kUsage);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') {
      groups.push_back(line + "\n");
      in_group = true;
    } else if (in_group && line.rfind("   ", 0) == 0) {
      groups.back() += line + "\n";
    } else {
      in_group = false;
    }
  }
  auto names = [](const std::string& text, const std::string& words, size_t from) {
    for (size_t at = text.find(words, from); at != std::string::npos; at = text.find(words, at + 1)) {
      const size_t end = at + words.size();
      const bool starts = at == 0 || text[at - 1] == ' ' || text[at - 1] == '|';
      const bool ends = end == text.size() || text[end] == ' ' || text[end] == '|' || text[end] == '\n';
      if (starts && ends) return true;
    }
    return false;
  };
  std::string all, narrow;
  for (const auto& g : groups) {
    const std::string first = g.substr(0, g.find('\n'));
    const size_t end = 2 + look.size();
    if (first.compare(2, look.size(), look) != 0 || (first.size() > end && first[end] != ' ')) continue;
    all += g;
    if (!sub.empty() && (names(first, look + " " + sub, 0) || names(first, sub, 2 + look.size())))
      narrow += g;
  }
  std::string out = narrow.empty() ? all : narrow;
  if (out.empty()) return "";
  if (cmd == "supplier") {
    for (size_t at = out.find("customer"); at != std::string::npos; at = out.find("customer", at))
      out.replace(at, 8, "supplier");
  }
  if (sub == "add" || sub == "edit") out += field_limits(cmd);
  return "usage: invoicing\n" + out +
         "every command also takes --data DIR, --user NAME, --workstation NAME, --json and --help\n"
         "dates are YYYY-MM-DD; exit codes: 0 done, 1 refused, 2 usage or I/O error\n";
}

// --help anywhere after the command (or `invoicing help CMD [SUB]`): that command's usage on
// stdout, exit 0. Returns -1 when the command line asks for no help or names no known command.
int command_help(int argc, char** argv) {
  int first = 1;
  if (!std::strcmp(argv[1], "help")) {
    first = 2;
  } else {
    bool asked = false;
    for (int i = 2; i < argc; ++i) asked = asked || !std::strcmp(argv[i], "--help");
    if (!asked) return -1;
  }
  const std::string cmd = argv[first];
  const std::string sub = first + 1 < argc && argv[first + 1][0] != '-' ? argv[first + 1] : "";
  const std::string text = usage_of(cmd, sub);
  if (text.empty() && first == 2) {
    std::fprintf(stderr, "invoicing help: unknown command \"%s\" (see invoicing --help)\n", cmd.c_str());
    return 2;
  }
  if (text.empty()) return -1;
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace

int main(int program_argc, char** program_argv) {
  using namespace invoicing::cli;
  // UTF-8 on every platform (Windows' argv is ANSI): every path below is UTF-8 text.
  common::cli::Utf8Args utf8_args(program_argc, program_argv);
  const int argc = utf8_args.argc();
  char** argv = utf8_args.argv();
  if (argc >= 3) {
    if (int rc = command_help(argc, argv); rc >= 0) return rc;
  }
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string cmd = argv[1];
  if (cmd == "--version") return std::printf("%s\n", invoicing::store::program_name().c_str()) < 0 ? 2 : 0;
  try {
    if (cmd == "init") return cmd_init(argc, argv);
    if (cmd == "setup") return cmd_setup_install(argc, argv);
    if (cmd == "licence" || cmd == "license") return cmd_licence(argc, argv);
    if (cmd == "version") return cmd_version(argc, argv);
    if (cmd == "use") return cmd_use(argc, argv);
    if (cmd == "customer") return cmd_party(argc, argv, false);
    if (cmd == "supplier") return cmd_party(argc, argv, true);
    if (cmd == "article") return cmd_article(argc, argv);
    if (cmd == "doc") return cmd_doc(argc, argv);
    if (cmd == "stock") return cmd_stock(argc, argv);
    if (cmd == "payment") return cmd_payment(argc, argv);
    if (cmd == "open-items") return cmd_open_items(argc, argv);
    if (cmd == "reminders") return cmd_reminders(argc, argv);
    if (cmd == "bank") return cmd_bank(argc, argv);
    if (cmd == "year") return cmd_year(argc, argv);
    if (cmd == "setting") return cmd_setting(argc, argv);
    if (cmd == "numbering") return cmd_numbering(argc, argv);
    if (cmd == "seats") return cmd_seats(argc, argv);
    if (cmd == "audit") return cmd_audit(argc, argv);
    if (cmd == "verify") return cmd_verify(argc, argv);
    if (cmd == "repair-indexes") return cmd_repair_indexes(argc, argv);
    if (cmd == "migrate") return cmd_migrate(argc, argv);
    if (cmd == "demo") return cmd_demo(argc, argv);
    if (cmd == "work") return cmd_work(argc, argv);
    if (cmd == "backup") return cmd_backup(argc, argv);
    if (cmd == "restore") return cmd_restore(argc, argv);
    if (cmd == "export") return cmd_export(argc, argv);
    if (cmd == "company") return cmd_company(argc, argv);
    if (cmd == "layout") return cmd_layout(argc, argv);
    if (cmd == "pdf-dir") return cmd_pdf_dir(argc, argv);
    if (cmd == "deliver") return cmd_deliver(argc, argv);
    if (cmd == "purchase") return cmd_purchase(argc, argv);
    if (cmd == "import") return cmd_import(argc, argv);
    if (cmd == "ui") return cmd_ui(argc, argv);
    std::cerr << "invoicing: unknown command \"" << cmd << "\" (see invoicing --help)\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return 2;
  } catch (const invoicing::store::UserError& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return 1;
  } catch (const xbase::Error& e) {
    // Every data file is opened for writing, even to read: a user without write permission
    // hears what to ask for instead of "cannot open: Permission denied".
    if (e.code() == xbase::Errc::io && !e.where().file.empty() &&
        e.detail().find(std::strerror(EACCES)) != std::string::npos) {
      const std::filesystem::path f = xbase::path_from_utf8(e.where().file);
      std::cerr << "invoicing " << cmd << ": you need write access to the data folder "
                << xbase::path_utf8(f.parent_path()) << " (" << xbase::path_utf8(f.filename())
                << ": permission denied), also to read it\n";
      return 2;
    }
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return xbase::busy(e.code()) ? 1 : 2;
  } catch (const std::exception& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return 2;
  }
}
