// invoicing: the command line of the invoicing product (app/store on the xbase engine).
#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli.h"
#include "xbase/error.h"

namespace {

const char* kUsage = R"USAGE(usage: invoicing COMMAND [options]   (every command: --data DIR --user NAME --json)

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
  customer add --code C --name N [--street --zip --city --country --vat --enterprise-no --email --phone
               --iban --bic --terms --lang --note] [--private|--business] [--contractor] [--renovation-attestation]
  customer edit --code C [...] | customer list [--search TEXT] [--archived]
  supplier add|edit|list ...              as customer
  article add --code C --descr D --price P [--vat-rate 21] [--vat-cat S] [--unit pc] [--kind G|S] [--stock Q] [--min Q]
  article edit --code C [--descr D] [--price P] [--vat-rate R] [--vat-cat C] [--unit U] [--min Q]
  article list [--search TEXT] | article moves --code C | article count --code C --counted Q [--reason R]
  doc new --type quote|order|delivery-note|invoice|credit-note|purchase-invoice --party CODE [--date Y-M-D]
  doc add-line ID [--article CODE] [--text T] [--qty Q] [--price P] [--disc PCT] [--vat-rate R] [--vat-cat C]
  doc finalize ID                         numbers it, moves stock, books the balance (one commit)
  doc convert ID --to TYPE [--finalize]   quote -> order -> delivery-note -> invoice, invoice -> credit-note
  doc cancel ID | doc show ID | doc list [--type T] [--year Y]
  stock [--below-minimum]                 stock per article, flagged below its minimum
  numbering [mode serialized|multiuser [--wait S]]
  seats                                   the edition's seats and who holds them
  verify                                  numbers gap-free, stock = moves, totals = lines, every table and index checks
  repair-indexes                          rebuilds the indexes the data dictionary declares (everyone out)
  demo [--data DIR] [--workstations 3] [--docs 100] [--numbering multiuser]
exit codes: 0 done, 1 refused or problems found (the message says why), 2 usage or I/O error
)USAGE";

}  // namespace

int main(int argc, char** argv) {
  using namespace invoicing::cli;
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
    if (cmd == "numbering") return cmd_numbering(argc, argv);
    if (cmd == "seats") return cmd_seats(argc, argv);
    if (cmd == "verify") return cmd_verify(argc, argv);
    if (cmd == "repair-indexes") return cmd_repair_indexes(argc, argv);
    if (cmd == "demo") return cmd_demo(argc, argv);
    if (cmd == "work") return cmd_work(argc, argv);
    std::cerr << "invoicing: unknown command \"" << cmd << "\" (see invoicing --help)\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return 2;
  } catch (const invoicing::store::UserError& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return 1;
  } catch (const xbase::Error& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return e.code() == xbase::Errc::lock_timeout || e.code() == xbase::Errc::in_use ? 1 : 2;
  } catch (const std::exception& e) {
    std::cerr << "invoicing " << cmd << ": " << e.what() << "\n";
    return 2;
  }
}
