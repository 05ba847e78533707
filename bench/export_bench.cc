// invoicing-export-bench: documents out of a data folder, as users get them. A company with N
// invoices (3 to 8 lines, twelve customers, a PNG logo) is made once with the store and kept;
// then it prints
//   - a one-page PDF from the store (read the document through the store, render it),
//   - a UBL with its PDF embedded from the store (read, PDF, UBL),
//   - `invoicing export --format pdf+ubl --zip` of all N invoices, end to end: the real
//     program in its own process, its wall time and peak memory,
//   - and, in this process, where that time goes (reading, PDF, UBL, ZIP).
// Figures only; it never passes or fails on time.
//
//   invoicing-export-bench [--invoices 1000] [--runs 30] [--dir FOLDER] [--no-logo]
#include <cairo.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "outputs/from_store.h"
#include "outputs/pdf_writer.h"
#include "outputs/ubl_writer.h"
#include "outputs/zip_writer.h"
#include "store/articles.h"
#include "store/company_profile.h"
#include "store/documents.h"
#include "store/parties.h"

namespace fs = std::filesystem;
using namespace invoicing;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

void report(const char* what, std::vector<double> ms, double target) {
  std::sort(ms.begin(), ms.end());
  double sum = 0;
  for (double v : ms) sum += v;
  std::printf("%-44s runs %4zu  median %8.2f ms  mean %8.2f ms  min %8.2f ms  max %8.2f ms  (target <= %.0f ms)\n", what,
              ms.size(), ms[ms.size() / 2], sum / ms.size(), ms.front(), ms.back(), target);
}

// The machine's load when the figures were taken ("2.10"): the other programs share the cores.
std::string load_average() {
  double l[1] = {0};
  return getloadavg(l, 1) == 1 ? fmt::format("{:.2f}", l[0]) : "?";
}

// A logo as businesses have them: 600 x 240 pixels, colour, some shapes and text.
void write_logo(const fs::path& p) {
  cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 600, 240);
  cairo_t* cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_pattern_t* g = cairo_pattern_create_linear(0, 0, 240, 240);
  cairo_pattern_add_color_stop_rgb(g, 0, 0.1, 0.3, 0.6);
  cairo_pattern_add_color_stop_rgb(g, 1, 0.2, 0.7, 0.5);
  cairo_set_source(cr, g);
  cairo_arc(cr, 120, 120, 100, 0, 6.283);
  cairo_fill(cr);
  cairo_pattern_destroy(g);
  cairo_set_source_rgb(cr, 0.15, 0.15, 0.2);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(cr, 54);
  cairo_move_to(cr, 250, 140);
  cairo_show_text(cr, "Lumière");
  cairo_destroy(cr);
  cairo_surface_write_to_png(s, p.c_str());
  cairo_surface_destroy(s);
}

const char* kCustomers[][6] = {
    {"PEETERS", "Bakkerij Peeters & Zonen", "Kerkstraat 12", "2000", "Antwerpen", "BE0431115213"},
    {"DUPONT", "Boulangerie Dupont SPRL", "Rue de l'Église 4", "4000", "Liège", "BE0414445663"},
    {"JANSSENS", "Garage Janssens", "Steenweg op Brussel 220", "3000", "Leuven", "BE0412378276"},
    {"LEFEVRE", "Café Lefèvre", "Place du Marché 1", "5000", "Namur", "BE0400378485"},
    {"DEWAELE", "Brouwerij De Waele", "Molenstraat 7", "9000", "Gent", "BE0203201340"},
    {"MERTENS", "Mertens Elektro", "Nijverheidslaan 15", "8500", "Kortrijk", "BE0404616494"},
    {"ETIENNE", "Menuiserie Étienne", "Chaussée de Mons 88", "7000", "Mons", "BE0401574852"},
    {"VERHOEVEN", "Verhoeven Schilderwerken", "Brugse Poort 3", "8000", "Brugge", "BE0405679338"},
    {"GOOSSENS", "Goossens Tuinaanleg", "Heidestraat 41", "3500", "Hasselt", "BE0407066042"},
    {"MOREAU", "Moreau Frères SA", "Avenue Louise 130", "1050", "Bruxelles", "BE0403091220"},
    {"CLAES", "Claes Bouw NV", "Industrieweg 2", "2800", "Mechelen", "BE0439948745"},
    {"FRANCOIS", "Fleuriste François", "Rue Haute 19", "1000", "Bruxelles", "BE0456810810"},
};
const char* kArticles[][4] = {
    {"BROOD", "Volkorenbrood 800 g", "2.45", "6"},          {"KOFFIE", "Koffiebonen 1 kg", "18.90", "6"},
    {"FRITEUSE", "Friteuse professionnelle 8 l", "349.00", "21"}, {"LAMP", "LED-lamp E27 8 W", "6.95", "21"},
    {"KABEL", "Installatiekabel 3G2,5 (m)", "1.85", "21"},   {"VERF", "Muurverf wit 10 l", "74.50", "21"},
    {"SCHROEF", "Schroeven 4x40 (doos 200)", "8.20", "21"},  {"PLANT", "Buxus 40 cm", "12.00", "6"},
    {"BOEKET", "Bouquet de saison", "35.00", "6"},            {"UREN", "Werkuren technieker", "55.00", "21"},
};

// The company with `n` final invoices, made once; returns the data folder.
fs::path company(const fs::path& dir, int n, bool logo) {
  const fs::path data = dir / fmt::format("invoicing-export-bench-{}{}", n, logo ? "" : "-nologo");
  if (fs::exists(data / "ready")) return data;
  fs::remove_all(data);
  const auto t = Clock::now();
  store::InitOptions o;
  o.company = "Atelier Lumière BV";
  o.vat = "BE0477472701";
  store::Company::init(data, o);
  store::OpenOptions oo;
  oo.who = {"bench", "BENCH"};
  auto c = store::Company::open(data, oo);
  store::CompanyProfile p = store::read_company_profile(*c);
  p.street = "Veldstraat 21";
  p.postcode = "9000";
  p.city = "Gent";
  p.enterprise_no = "0477472701";
  p.iban = "BE68539007547034";
  p.bic = "GKCCBEBB";
  p.email = "facturen@lumiere.example";
  p.phone = "+32 9 123 45 67";
  if (logo) {
    fs::create_directories(data / "layouts");
    write_logo(data / "layouts" / "logo.png");
    p.logo = "logo.png";
  }
  store::write_company_profile(*c, p);
  for (size_t i = 0; i < std::size(kCustomers); ++i) {
    const auto* k = kCustomers[i];
    store::PartyInput in;
    in.code = k[0];
    in.name = k[1];
    in.street = k[2];
    in.zip = k[3];
    in.city = k[4];
    in.vat = k[5];
    in.lang = i % 3 == 1 ? "fr" : "nl";
    store::Parties(*c, store::PartyKind::customer).add(in);
  }
  for (const auto* a : kArticles) {
    store::ArticleInput in;
    in.code = a[0];
    in.description = a[1];
    in.price = a[2];
    in.vat_rate = a[3];
    in.unit = std::string(a[0]) == "UREN" ? "u" : "st";
    store::Articles(*c).add(in);
  }
  std::mt19937 rng(42);
  store::Documents docs(*c);
  for (int i = 0; i < n; ++i) {
    const xbase::Date date = xbase::from_julian_day(xbase::julian_day({2026, 1, 2}) + i * 360 / n);
    const int32_t id = docs.create(domain::DocType::invoice, kCustomers[rng() % std::size(kCustomers)][0], date);
    for (int l = 0, lines = 3 + int(rng() % 6); l < lines; ++l) {
      store::LineSpec s;
      s.article = kArticles[rng() % std::size(kArticles)][0];
      s.quantity = std::to_string(1 + rng() % 12);
      if (rng() % 4 == 0) s.discount = "5";
      docs.add_line(id, s);
    }
    docs.finalize(id);
    if ((i + 1) % 100 == 0) std::fprintf(stderr, "  made %d of %d invoices\r", i + 1, n);
  }
  std::fprintf(stderr, "made the company with %d invoices in %.0f s (kept in %s)\n", n, ms_since(t) / 1000,
               data.c_str());
  std::fclose(std::fopen((data / "ready").c_str(), "w"));
  return data;
}

struct Run {
  int rc = -1;
  double seconds = 0, cpu_seconds = 0, peak_mb = 0;
};

// The real program, in its own process: its exit code, wall time and peak memory.
Run run_program(const std::vector<std::string>& args, const fs::path& config) {
  std::fflush(stdout);  // else the child's freopen writes our buffered figures again
  const auto t = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    setenv("XDG_CONFIG_HOME", config.c_str(), 1);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::freopen("/dev/null", "w", stdout);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int st = 0;
  struct rusage ru {};
  wait4(pid, &st, 0, &ru);
  Run r;
  r.rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.seconds = ms_since(t) / 1000;
  r.peak_mb = static_cast<double>(ru.ru_maxrss) / 1024;
  r.cpu_seconds = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
                  static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int invoices = 1000, runs = 30;
  bool logo = true;
  fs::path dir = fs::temp_directory_path();
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--invoices") && i + 1 < argc) invoices = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--dir") && i + 1 < argc) dir = argv[++i];
    else if (!std::strcmp(argv[i], "--no-logo")) logo = false;
    else {
      std::fprintf(stderr, "usage: %s [--invoices N] [--runs N] [--dir FOLDER] [--no-logo]\n", argv[0]);
      return 2;
    }
  }
  if (invoices < 1 || runs < 1) return 2;
  const fs::path data = company(dir, invoices, logo);

  store::OpenOptions oo;
  oo.who = {"bench", "BENCH"};
  oo.take_seat = false;
  {
    auto c = store::Company::open(data, oo);
    outputs::DocumentReader warm(*c);
    const auto list = warm.period({domain::DocType::invoice}, {2000, 1, 1}, {2099, 12, 31});
    const int32_t id = list[list.size() / 2].doc.id;
    // The first PDF of a process also loads the fonts: shown apart.
    auto t = Clock::now();
    outputs::write_pdf(warm.read(id), warm.layout(domain::DocType::invoice));
    std::printf("%-44s %.2f ms (fonts loaded once per process; load average %s)\n", "first PDF", ms_since(t),
                load_average().c_str());
    std::vector<double> pdf_ms, ubl_ms;
    std::string pdf, xml;
    for (int i = 0; i < runs; ++i) {
      t = Clock::now();
      outputs::DocumentReader r(*c);  // a fresh reader: the company's data read again, as a command would
      const outputs::DocumentData d = r.read(id);
      pdf = outputs::write_pdf(d, r.layout(d.type));
      pdf_ms.push_back(ms_since(t));
    }
    for (int i = 0; i < runs; ++i) {
      t = Clock::now();
      outputs::DocumentReader r(*c);
      outputs::DocumentData d = r.read(id);
      std::string p = outputs::write_pdf(d, r.layout(d.type));
      outputs::add_buyer_reference(d);
      xml = outputs::write_ubl(d, {outputs::pdf_attachment(d, std::move(p))});
      ubl_ms.push_back(ms_since(t));
    }
    report("one-page PDF from the store", pdf_ms, 30);
    report("UBL with its PDF embedded, from the store", ubl_ms, 40);
    std::printf("%-44s PDF %zu bytes, UBL %zu bytes\n", "sizes", pdf.size(), xml.size());

    // Where the time of an export goes, in this process.
    double read_ms = 0, pdf_total = 0, ubl_total = 0;
    const auto t0 = Clock::now();
    outputs::DocumentReader r(*c);
    const fs::path zip_path = dir / "invoicing-export-bench-phases.zip";
    {
      outputs::ZipWriter zip(zip_path);
      for (const auto& v : r.period({domain::DocType::invoice}, {2000, 1, 1}, {2099, 12, 31})) {
        auto s = Clock::now();
        outputs::DocumentData d = r.read(v.doc.id);
        read_ms += ms_since(s);
        s = Clock::now();
        std::string p = outputs::write_pdf(d, r.layout(d.type));
        pdf_total += ms_since(s);
        s = Clock::now();
        outputs::DocumentData u = d;
        outputs::add_buyer_reference(u);
        std::string x = outputs::write_ubl(u, {outputs::pdf_attachment(u, p)});
        ubl_total += ms_since(s);
        zip.add(outputs::zip_entry_name(d, "pdf"), std::move(p));
        zip.add(outputs::zip_entry_name(d, "xml"), std::move(x));
      }
      zip.finish();
    }
    const double all = ms_since(t0);
    std::printf("%-44s %.2f s: reading %.2f s, PDF %.2f s, UBL %.2f s, ZIP %.2f s\n", "export phases (in process)",
                all / 1000, read_ms / 1000, pdf_total / 1000, ubl_total / 1000,
                (all - read_ms - pdf_total - ubl_total) / 1000);
    fs::remove(zip_path);
  }

  // End to end: the program a user runs.
  const fs::path zip = dir / "invoicing-export-bench.zip";
  const Run e = run_program({INVOICING_TOOL, "export", "--data", data.string(), "--from", "2000-01-01", "--to",
                             "2099-12-31", "--format", "pdf+ubl", "--zip", zip.string()},
                            dir / "invoicing-export-bench-config");
  std::printf("%-44s %d invoices in %.2f s (CPU %.2f s), peak memory %.0f MB, ZIP %.1f MB, exit %d  (target <= 30 s)\n",
              "invoicing export --format pdf+ubl --zip", invoices, e.seconds, e.cpu_seconds, e.peak_mb,
              e.rc == 0 ? static_cast<double>(fs::file_size(zip)) / 1e6 : 0.0, e.rc);
  fs::remove(zip);
  return e.rc == 0 ? 0 : 1;
}
