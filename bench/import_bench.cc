// invoicing-import-bench: reads, maps and checks N customers (default 100,000) from a CSV
// file (Windows-1252, ';', as old Belgian packages export) and from an XLSX file with shared
// strings (as Excel writes, made here with libxlsxwriter); then imports both end to end, each
// into a fresh data folder, with the `invoicing import` command (read, map, check, the store's
// checks, one transaction). Prints the time and the peak RSS of each run, each measured in a
// child process of its own; never passes or fails on time.
//
//   invoicing-import-bench [--n N] [--dir FOLDER] [--keep] [--invoicing PATH]
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "import/import_plan.h"

namespace fs = std::filesystem;
using namespace invoicing::import;

namespace {

struct Customer {
  std::string code, name, street, zip, city, vat, email, phone, iban;
};

// The i-th generated customer: valid VAT numbers (mod 97) and IBANs, accents in names.
Customer customer(int i) {
  Customer c;
  c.code = "K" + std::to_string(100000 + i);
  c.name = "Brasserie Caf\xC3\xA9 " + std::to_string(i) + " BV";
  c.street = "Kerkstraat " + std::to_string(i % 300 + 1);
  c.zip = std::to_string(1000 + i % 8999);
  c.city = i % 2 ? "Li\xC3\xA8ge" : "Gent";
  long body = 4000000 + i;
  char vat[16];
  std::snprintf(vat, sizeof vat, "BE%08ld%02ld", body, 97 - body % 97);
  c.vat = vat;
  c.email = "info" + std::to_string(i) + "@voorbeeld.be";
  c.phone = "+32 9 " + std::to_string(200 + i % 700) + " 12 34";
  // A Belgian account: 10 digits and their mod 97, then the IBAN check digits.
  long long account = 1000000000LL + i;
  long long check = account % 97 == 0 ? 97 : account % 97;
  char bban[16];
  std::snprintf(bban, sizeof bban, "%010lld%02lld", account, check);
  std::string moved = std::string(bban) + "111400";  // B=11, E=14, "00"
  int rest = 0;
  for (char d : moved) rest = (rest * 10 + (d - '0')) % 97;
  char iban[24];
  std::snprintf(iban, sizeof iban, "BE%02d%s", 98 - rest, bban);
  c.iban = iban;
  return c;
}

// UTF-8 -> Windows-1252 for the few accents used here.
std::string to_1252(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 2, "\xC3\xA9") == 0) {
      out += '\xE9';
      ++i;
    } else if (s.compare(i, 2, "\xC3\xA8") == 0) {
      out += '\xE8';
      ++i;
    } else if (s.compare(i, 2, "\xC3\xAB") == 0) {
      out += '\xEB';
      ++i;
    } else
      out += s[i];
  }
  return out;
}

const char* kHeaders[] = {"Klantcode",  "Naam",   "Adres",    "Postcode", "Gemeente",        "Land",
                          "BTW-nummer", "E-mail", "Telefoon", "IBAN",     "Betalingstermijn"};

void write_csv(const fs::path& p, int n) {
  std::ofstream f(p, std::ios::binary);
  std::string line;
  for (const char* h : kHeaders) line += std::string(line.empty() ? "" : ";") + h;
  f << line << "\r\n";
  for (int i = 1; i <= n; ++i) {
    Customer c = customer(i);
    f << to_1252(c.code + ";" + c.name + ";" + c.street + ";" + c.zip + ";" + c.city +
                 ";Belgi\xC3\xAB;" + c.vat + ";" + c.email + ";" + c.phone + ";" + c.iban +
                 ";30\r\n");
  }
}

void write_xlsx(const fs::path& p, int n) {
  lxw_workbook* wb = workbook_new(p.c_str());
  lxw_worksheet* ws = workbook_add_worksheet(wb, "Klanten");
  for (int c = 0; c < 11; ++c)
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), kHeaders[c], nullptr);
  for (int i = 1; i <= n; ++i) {
    Customer c = customer(i);
    const std::string* cells[] = {&c.code, &c.name, &c.street, &c.zip,   &c.city,
                                  nullptr, &c.vat,  &c.email,  &c.phone, &c.iban};
    auto r = static_cast<lxw_row_t>(i);
    for (int k = 0; k < 10; ++k) {
      worksheet_write_string(ws, r, static_cast<lxw_col_t>(k), cells[k] ? cells[k]->c_str() : "BE",
                             nullptr);
    }
    worksheet_write_number(ws, r, 10, 30, nullptr);
  }
  if (workbook_close(wb) != LXW_NO_ERROR) {
    std::fprintf(stderr, "cannot write %s\n", p.c_str());
    std::exit(1);
  }
}

// Runs `work` in a child process; prints its time and the child's peak RSS.
void measure(const char* label, const std::function<std::string()>& work) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    auto t0 = std::chrono::steady_clock::now();
    std::string what = work();
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("  %-34s %7.2f s  %s", label, s, what.c_str());
    std::fflush(stdout);
    std::_Exit(0);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("  %-34s FAILED\n", label);
    std::exit(1);
  }
  std::printf("  peak RSS %6.1f MiB\n", static_cast<double>(ru.ru_maxrss) / 1024.0);
}

// Runs `invoicing ARGS...` (its output to /dev/null); prints its time, CPU time and peak RSS.
void measure_command(const char* label, const std::vector<std::string>& args) {
  std::fflush(stdout);
  auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, STDOUT_FILENO);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::_Exit(127);
  }
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::printf("  %-34s FAILED (%s)\n", label, args[0].c_str());
    std::exit(1);
  }
  double cpu = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  std::printf("  %-34s %7.2f s  (CPU %.2f s)  peak RSS %6.1f MiB\n", label, s, cpu,
              static_cast<double>(ru.ru_maxrss) / 1024.0);
}

// `invoicing import customers FILE` into a data folder made for it.
void end_to_end(const char* label, const std::string& invoicing, const fs::path& file,
                const fs::path& data) {
  fs::remove_all(data);
  measure_command("  (init the data folder)", {invoicing, "init", data.string(), "--company", "Bench"});
  measure_command(label, {invoicing, "import", "customers", file.string(), "--data", data.string()});
}

std::string read_only(const fs::path& p) {
  auto reader = open_sheet(p);
  SheetRow row;
  uint64_t n = 0;
  while (reader->next(row)) ++n;
  return std::to_string(n) + " rows read";
}

std::string full_plan(const fs::path& p) {
  ImportOptions o;
  ImportPlan plan = build_import_plan(p, o);
  if (!plan.problems.empty()) {
    std::fprintf(stderr, "unexpected problem: row %llu %s: %s\n",
                 static_cast<unsigned long long>(plan.problems[0].row),
                 plan.problems[0].column.c_str(), plan.problems[0].reason.c_str());
    std::_Exit(1);
  }
  return std::to_string(plan.rows.size()) + " rows to import";
}

}  // namespace

int main(int argc, char** argv) {
  int n = 100000;
  fs::path dir;
  bool keep = false;
  std::string invoicing = INVOICING_TOOL;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--n" && i + 1 < argc)
      n = std::atoi(argv[++i]);
    else if (a == "--invoicing" && i + 1 < argc)
      invoicing = argv[++i];
    else if (a == "--dir" && i + 1 < argc)
      dir = argv[++i];
    else if (a == "--keep")
      keep = true;
    else {
      std::fprintf(stderr,
                   "usage: invoicing-import-bench [--n N] [--dir FOLDER] [--keep] [--invoicing PATH]\n");
      return 2;
    }
  }
  bool own = dir.empty();
  if (own) dir = fs::temp_directory_path() / ("import-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::path csv = dir / "customers.csv", xlsx = dir / "customers.xlsx";
  std::printf("import benchmark: %d customers\n", n);
  measure("write CSV (Windows-1252, ';')", [&] {
    write_csv(csv, n);
    return std::string();
  });
  measure("write XLSX (libxlsxwriter)", [&] {
    write_xlsx(xlsx, n);
    return std::string();
  });
  std::printf("  files: CSV %.1f MiB, XLSX %.1f MiB\n",
              static_cast<double>(fs::file_size(csv)) / 1048576.0,
              static_cast<double>(fs::file_size(xlsx)) / 1048576.0);
  measure("CSV read only", [&] { return read_only(csv); });
  measure("CSV read + map + check", [&] { return full_plan(csv); });
  measure("XLSX read only", [&] { return read_only(xlsx); });
  measure("XLSX read + map + check", [&] { return full_plan(xlsx); });
  std::printf("end to end (invoicing import customers, one transaction):\n");
  end_to_end("CSV into a data folder", invoicing, csv, dir / "data-csv");
  end_to_end("XLSX into a data folder", invoicing, xlsx, dir / "data-xlsx");
  if (own && !keep) fs::remove_all(dir);
  return 0;
}
