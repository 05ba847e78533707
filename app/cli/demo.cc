// The demo company, and `invoicing demo`: the folder, then three workstations at work on it at
// once (each an `invoicing work` process), then what the folder says afterwards.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "child_process.h"
#include "cli.h"
#include "xbase/error.h"
#include "domain/money.h"
#include "domain/vat_number.h"
#include "store/articles.h"
#include "store/clock.h"
#include "store/company_profile.h"
#include "store/documents.h"
#include "store/numbering.h"
#include "store/parties.h"
#include "store/payments.h"
#include "store/settings.h"

namespace fs = std::filesystem;
using invoicing::domain::DocType;

namespace invoicing::cli {

namespace {

struct DemoParty {
  const char* code;
  const char* name;
  const char* street;
  const char* zip;
  const char* city;
  const char* country;
  const char* vat;
  const char* lang;
  const char* iban;
  const char* terms;
  bool business = true, contractor = false, renovation = false;
};

// Belgian customers with Dutch and French names (VAT numbers with valid check digits), a
// contractor (construction work reverse-charged), a private customer with the renovation
// attestation (6 %), a Dutch business (intra-Community supplies, K and AE) and one outside the
// EU (export, G; services E).
const DemoParty kCustomers[] = {
    {"PEETERS", "Bakkerij Peeters & Zonen", "Kerkstraat 12", "2000", "Antwerpen", "BE", "BE0431115213", "nl",
     "BE71096123456769", "30"},
    {"DUPONT", "Boulangerie Dupont SPRL", "Rue de l'Église 4", "4000", "Liège", "BE", "BE0414445663", "fr", "", "EOM+30"},
    {"JANSSENS", "Garage Janssens", "Steenweg op Brussel 220", "3000", "Leuven", "BE", "BE0412378276", "nl", "", "30"},
    {"LEFEVRE", "Café Lefèvre", "Place du Marché 1", "5000", "Namur", "BE", "BE0400378485", "fr", "", "15"},
    {"DEWAELE", "Brouwerij De Waele", "Molenstraat 7", "9000", "Gent", "BE", "BE0203201340", "nl", "", "30"},
    {"MERTENS", "Mertens Elektro", "Nijverheidslaan 15", "8500", "Kortrijk", "BE", "BE0404616494", "nl", "", "30"},
    {"ETIENNE", "Menuiserie Étienne", "Chaussée de Mons 88", "7000", "Mons", "BE", "BE0401574852", "fr", "", "30"},
    {"VERHOEVEN", "Verhoeven Schilderwerken", "Brugse Poort 3", "8000", "Brugge", "BE", "BE0405679338", "nl", "", "30"},
    {"GOOSSENS", "Goossens Tuinaanleg", "Heidestraat 41", "3500", "Hasselt", "BE", "BE0407066042", "nl", "", "30"},
    {"MOREAU", "Moreau Frères SA", "Avenue Louise 130", "1050", "Bruxelles", "BE", "BE0403091220", "fr", "", "30"},
    {"CLAES", "Claes Bouw NV", "Industrieweg 2", "2800", "Mechelen", "BE", "BE0439948745", "nl", "", "30", true, true},
    {"FRANCOIS", "Fleuriste François", "Rue Haute 19", "1000", "Bruxelles", "BE", "BE0456810810", "fr", "", "30"},
    {"WILLEMS", "An Willems", "Lindelei 8", "2640", "Mortsel", "BE", "", "nl", "", "8", false, false, true},
    {"BOLT", "Bolt BV", "Damrak 70", "1012 LM", "Amsterdam", "NL", "NL820098395B01", "nl", "NL91ABNA0417164300", "30"},
    {"FOXTROT", "Foxtrot Inc.", "350 Fifth Avenue", "10118", "New York", "US", "", "en", "", "EOM+30"},
};

const DemoParty kSuppliers[] = {
    {"GROSSIER", "Groothandel Van Damme", "Havenlaan 100", "2030", "Antwerpen", "BE", "BE0400096393", "nl", "", "30"},
    {"PAPETERIE", "Papeterie Léonard", "Rue des Fripiers 8", "1000", "Bruxelles", "BE", "BE0405725957", "fr", "", "30"},
};

struct DemoArticle {
  const char* code;
  const char* descr;
  const char* price;
  const char* rate;
  const char* stock;
  const char* min;
};

const DemoArticle kArticles[] = {
    {"BROOD", "Volkorenbrood 800 g", "2.45", "6", "5000", "200"},
    {"CROISSANT", "Croissant au beurre", "1.10", "6", "8000", "500"},
    {"KOFFIE", "Koffiebonen 1 kg", "18.90", "6", "3000", "100"},
    {"FRITEUSE", "Friteuse professionnelle 8 l", "349.00", "21", "400", "10"},
    {"LAMP", "LED-lamp E27 8 W", "6.95", "21", "6000", "300"},
    {"KABEL", "Installatiekabel 3G2,5 (m)", "1.85", "21", "20000", "1000"},
    {"VERF", "Muurverf wit 10 l", "74.50", "21", "1500", "50"},
    {"SCHROEF", "Schroeven 4x40 (doos 200)", "8.20", "21", "4000", "100"},
    {"PLANT", "Buxus 40 cm", "12.00", "6", "2500", "50"},
    {"BOEKET", "Bouquet de saison", "35.00", "6", "900", "20"},
    {"BIER", "Tripel 33 cl (bak 24)", "32.40", "21", "3000", "100"},
    {"PAPIER", "Papier A4 80 g (500 vel)", "5.60", "21", "7000", "200"},
};
// Services as articles: work, travel, and renovation work on a dwelling (construction work:
// 6 % with the customer's attestation, reverse-charged for a contractor, else 21 %).
struct DemoService {
  const char* code;
  const char* descr;
  const char* price;
  const char* rate;
  bool construction;
};
const DemoService kServices[] = {{"WERKUREN", "Werkuren technieker", "55.00", "21", false},
                                 {"VERPLAATS", "Déplacement", "35.00", "21", false},
                                 {"RENOVATIE", "Renovatie woning (per m²)", "125.00", "6", true}};

xbase::Date days_after(xbase::Date d, int n) { return xbase::from_julian_day(xbase::julian_day(d) + n); }

// One document as a workstation makes it, dated today (a clerk who confirms dating it like the
// last final document when a colleague's came first: --redate).
void one_document(store::Documents& docs, std::mt19937& rng) {
  store::FinalizeOptions fin;
  fin.finalize = true;
  fin.redate = true;
  store::FinalizeOptions redate;
  redate.redate = true;
  const auto& cust = kCustomers[rng() % std::size(kCustomers)];
  int path = int(rng() % 10);
  DocType first = path < 4 ? DocType::quote : path < 6 ? DocType::order : DocType::invoice;
  int32_t id = docs.create(first, cust.code);
  int lines = 1 + int(rng() % 3);
  for (int i = 0; i < lines; ++i) {
    store::LineSpec l;
    if (rng() % 6 == 0) {
      l.article = kServices[rng() % std::size(kServices)].code;
      l.quantity = std::to_string(1 + rng() % 8);
    } else {
      l.article = kArticles[rng() % std::size(kArticles)].code;
      l.quantity = std::to_string(1 + rng() % 12);
      if (rng() % 4 == 0) l.discount = "5";
    }
    docs.add_line(id, l);
  }
  if (rng() % 12 == 0) {  // a draft given up
    docs.cancel(id);
    return;
  }
  if (first == DocType::invoice) {
    auto v = docs.finalize(id, redate);
    if (rng() % 8 == 0) docs.credit(v.doc.id, {}, fin);  // goods come back
    return;
  }
  docs.finalize(id, redate);
  if (first == DocType::quote) {
    if (rng() % 2) {
      docs.convert(id, DocType::invoice, fin);  // quote -> invoice in one commit
      return;
    }
    id = docs.convert(id, DocType::order, fin).doc.id;
  }
  int32_t del = docs.convert(id, DocType::delivery_note, fin).doc.id;
  docs.convert(del, DocType::invoice, fin);
}

// Payments as customers make them: most invoices paid within their terms (some late, some in
// two parts), some still open and overdue; one invoice credited in part by a line and one by an
// amount.
void demo_payments(store::Company& c, std::mt19937& rng, xbase::Date real_today) {
  store::Documents docs(c);
  store::Payments payments(c);
  store::DocFilter f;
  f.type = DocType::invoice;
  f.status = domain::DocStatus::final;
  bool by_line = false, by_amount = false;
  for (const auto& v : docs.list(f)) {
    if (!v.payment || v.payment->open.sign() <= 0) continue;
    const int r = int(rng() % 20);
    if (!by_line && v.doc.total_incl > domain::Decimal::from_integer(100) && r < 3) {
      auto lines = docs.show(v.doc.id).lines;
      if (lines.size() >= 2) {  // credited today, as a customer's late complaint is
        store::CreditSpec spec;
        spec.mode = store::CreditSpec::Mode::lines;
        spec.lines = {lines.front().line.lineno};
        store::FinalizeOptions fin;
        fin.finalize = true;
        docs.credit(v.doc.id, spec, fin);
        by_line = true;
        continue;
      }
    }
    if (!by_amount && v.doc.total_incl > domain::Decimal::from_integer(50) && r == 3) {
      store::CreditSpec spec;
      spec.mode = store::CreditSpec::Mode::amount;
      spec.amount = "10.00";
      spec.line = 1;
      store::FinalizeOptions fin;
      fin.finalize = true;
      docs.credit(v.doc.id, spec, fin);
      by_amount = true;
      continue;
    }
    if (r >= 16) continue;  // still open: some overdue by now
    const xbase::Date due = v.doc.due_date.value_or(v.doc.date);
    xbase::Date paid_on = days_after(due, int(rng() % 30) - 20);  // mostly on time, some late
    if (xbase::julian_day(paid_on) < xbase::julian_day(v.doc.date)) paid_on = v.doc.date;
    if (xbase::julian_day(paid_on) > xbase::julian_day(real_today)) continue;
    store::PaymentInput in;
    in.doc = v.doc.id;
    in.date = paid_on;
    in.method = r % 5 == 0 ? "cash" : "transfer";
    in.reference = v.doc.ogm;
    auto open = store::Payments(c).open_amount(v.doc);
    if (r >= 13) {  // in two parts, the second one not yet
      in.amount = (open * domain::Decimal::from_mantissa(5, 1)).round(2).to_string(2);
    } else {
      in.amount = open.to_string(2);
    }
    store::FixedToday t(paid_on);
    payments.add(in);
  }
}

}  // namespace

void fill_demo(store::Company& c, unsigned seed) {
  fill_demo_company(c);
  auto add_party = [&](store::PartyKind kind, const DemoParty& p) {
    store::PartyInput in;
    in.code = p.code;
    in.name = p.name;
    in.street = p.street;
    in.zip = p.zip;
    in.city = p.city;
    in.country = p.country;
    in.vat = p.vat;
    in.email = fmt::format("info@{}.example", p.code);
    in.terms = p.terms;
    in.lang = p.lang;
    if (*p.iban) in.iban = p.iban;
    in.business = p.business;
    in.contractor = p.contractor;
    in.renovation = p.renovation;
    store::Parties(c, kind).add(in);
  };
  for (const auto& p : kCustomers) add_party(store::PartyKind::customer, p);
  for (const auto& p : kSuppliers) add_party(store::PartyKind::supplier, p);
  store::Articles arts(c);
  for (const auto& a : kArticles) {
    store::ArticleInput in;
    in.code = a.code;
    in.description = a.descr;
    in.price = a.price;
    in.vat_rate = a.rate;
    in.opening_stock = a.stock;
    in.min_stock = a.min;
    arts.add(in);
  }
  for (const auto& sv : kServices) {
    store::ArticleInput in;
    in.code = sv.code;
    in.description = sv.descr;
    in.price = sv.price;
    in.vat_rate = sv.rate;
    in.kind = "S";
    in.unit = "h";
    in.construction = sv.construction;
    arts.add(in);
  }
  // A year of documents, oldest first, each made on its own day (the date rules as then).
  store::Documents docs(c);
  std::mt19937 rng(seed);
  const xbase::Date real_today = store::today();
  for (int day = 360; day >= 0; day -= 3) {
    store::FixedToday then(days_after(real_today, -day));
    one_document(docs, rng);
  }
  demo_payments(c, rng, real_today);
}

int cmd_work(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"docs", "seed"}, {});
  // A Command per document: another workstation's settings count. A workstation started while
  // the database server restarts finds it shutting down, or not back yet: as after a lost action
  // below, a person tries again after a moment, and so does the workload, for 30 s.
  std::unique_ptr<store::Company> c;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!c) {
    try {
      c = open_company(a, true, false);
    } catch (const store::StorageUnavailable&) {
      if (std::chrono::steady_clock::now() >= give_up) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
  store::Documents docs(*c);
  std::mt19937 rng(unsigned(a.get_int("seed", 1)));
  const int n = a.get_int("docs", 100);
  int done = 0, retried = 0, lost = 0;
  while (done < n) {
    try {
      store::Company::Command command(*c);
      one_document(docs, rng);
      ++done;
    } catch (const store::Busy& e) {
      // Waited too long for the numbering, or a record: the change was rolled back; again.
      if (++retried > 50) throw;
    } catch (const store::StorageUnavailable& e) {
      // The database server went away (a restart): the action was lost; the next one
      // reconnects. A person would try again after a moment; so does the workload, for 30 s.
      if (++lost > 120) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    } catch (const xbase::Error& e) {
      if ((e.code() != xbase::Errc::lock_timeout && e.code() != xbase::Errc::retry) || ++retried > 50) throw;
    }
  }
  std::cout << fmt::format("{}: {} documents ({} retried, {} lost with the connection)\n", c->who().workstation, done,
                           retried, lost);
  return 0;
}

void fill_demo_company(store::Company& c) {
  store::CompanyProfile p = store::read_company_profile(c);
  p.street = "Veldstraat 21";
  p.postcode = "9000";
  p.city = "Gent";
  p.country = "BE";
  p.enterprise_no = "0477472701";
  p.iban = "BE68539007547034";
  p.bic = "GKCCBEBB";
  p.email = "facturen@demo.example";
  p.phone = "+32 9 123 45 67";
  store::write_company_profile(c, p);
}

int cmd_demo(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"workstations", "docs", "numbering"}, {});
  std::string dir = a.options.count("data") || a.options.count("db") ? data_dir(a) : path_utf8(fs::temp_directory_path() / fmt::format("invoicing-demo-{}", getpid()));
  const int ws = a.get_int("workstations", 3), per = a.get_int("docs", 100);
  auto t0 = std::chrono::steady_clock::now();
  {
    store::InitOptions o;
    o.company = "Demo Bvba / Démo Sprl";
    o.vat = std::string(licence::kDemoCompanyVat);  // runs as Pro without a licence
    store::Company::init(path_from_utf8(dir), o);
    store::OpenOptions oo;
    oo.who = {"admin", "SERVER"};
    auto c = store::Company::open(path_from_utf8(dir), oo);
    if (a.options.count("numbering")) {
      auto mode = domain::numbering_mode_from_name(a.get("numbering"));
      if (!mode) throw UsageError("--numbering is serialized or multiuser");
      store::Numbering(*c).set_mode(*mode, std::nullopt);
    }
    fill_demo(*c, 2026);
  }
  auto t1 = std::chrono::steady_clock::now();
  std::cout << fmt::format("demo company in {} ({:.1f} s); now {} workstations make {} documents each\n", dir,
                           std::chrono::duration<double>(t1 - t0).count(), ws, per);
  std::vector<ChildProcess> kids;
  for (int i = 1; i <= ws; ++i)
    kids.emplace_back(std::vector<std::string>{"work", store::is_database(dir) ? "--db" : "--data", dir, "--user",
                                               fmt::format("user{}", i), "--workstation", fmt::format("PC-{}", i),
                                               "--docs", std::to_string(per), "--seed", std::to_string(1000 + i)});
  int failed = 0;
  for (auto& k : kids) failed += !k.wait_succeeded();
  auto t2 = std::chrono::steady_clock::now();
  store::OpenOptions oo;
  oo.who = {"admin", "SERVER"};
  oo.take_seat = false;
  auto c = store::Company::open(path_from_utf8(dir), oo);
  std::cout << fmt::format("{} workstations done in {:.1f} s{}\n\nnumbers per type and fiscal year:\n", ws,
                           std::chrono::duration<double>(t2 - t1).count(), failed ? fmt::format(" ({} failed)", failed) : "");
  std::map<std::string, std::vector<int>> numbers;
  store::Documents docs(*c);
  for (const auto& v : docs.list())
    if (v.doc.number) numbers[store::series_name(v.doc.type, v.doc.year)].push_back(int(v.doc.number));
  for (auto& [key, nums] : numbers) {
    std::sort(nums.begin(), nums.end());
    bool gap_free = true;
    for (size_t i = 0; i < nums.size(); ++i) gap_free = gap_free && nums[i] == int(i + 1);
    std::cout << fmt::format("  {}: {} .. {} ({} documents, {})\n", key, nums.front(), nums.back(), nums.size(),
                             gap_free ? "gap-free" : "NOT gap-free");
  }
  std::cout << "\nstock:\n";
  for (const auto& art : store::Articles(*c).list())
    std::cout << fmt::format("  {:<10} {:>12}\n", art.code, art.stock.to_string());
  auto problems = store::verify(*c);
  for (const auto& p : problems) std::cout << "problem: " << p << "\n";
  std::cout << fmt::format("\nverify: {}; total {:.1f} s\n",
                           problems.empty() ? "numbers gap-free and in date order, stock = moves, open items add up, "
                                              "all tables and tags check"
                                            : "PROBLEMS",
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return problems.empty() && !failed ? 0 : 1;
}

}  // namespace invoicing::cli
