// invoicing purchase: suppliers' e-invoices imported as purchase invoices (app/purchase/), and
// the original XML and PDF kept with each.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <map>

#include "cli.h"
#include "watch.h"
#include "purchase/import.h"
#include "store/documents.h"
#include "store/purchase_imports.h"
#include "xbase/file.h"

namespace invoicing::cli {

namespace {

const char* kUsage =
    "usage: invoicing purchase import FILE.xml|DIR [--create-supplier]\n"
    "       invoicing purchase import DIR --watch [--interval SECONDS] [--create-supplier]\n"
    "       invoicing purchase original ID [--xml FILE] [--pdf FILE]";

std::string outcome_json(const purchase::ImportOutcome& r) {
  return fmt::format(
      "{{\"file\":{},\"result\":{},\"reason\":{},\"id\":{},\"document\":{},\"supplier\":{},"
      "\"number\":{},\"credit_note\":{},\"supplier_created\":{},\"total_excl\":{},"
      "\"total_vat\":{},\"total_incl\":{},\"kept\":{}}}",
      json_string(r.file), json_string(purchase::kind_word(r.kind)), json_string(r.reason),
      r.doc_id, json_string(r.document), json_string(r.supplier), json_string(r.number),
      r.credit_note ? "true" : "false", r.supplier_created ? "true" : "false",
      json_decimal(r.total_excl, 2), json_decimal(r.total_vat, 2), json_decimal(r.total_incl, 2),
      json_string(r.kept));
}

std::string outcome_text(const purchase::ImportOutcome& r) {
  if (r.kind != purchase::ImportOutcome::Kind::imported)
    return fmt::format("{}: {}: {}", r.file, purchase::kind_word(r.kind), r.reason);
  return fmt::format("{}: imported as {} (document {}), supplier {}{}, {} {}, total {} (VAT {})",
                     r.file, r.document, r.doc_id, r.supplier,
                     r.supplier_created ? " (created)" : "",
                     r.credit_note ? "credit note" : "invoice", r.number,
                     r.total_incl.to_string(2), r.total_vat.to_string(2));
}

// --watch: the folder looked at every few seconds (as an access point or a mail robot drops
// files there). A file is taken once it stood still (same size and time) from one look to the
// next, so one still being written is left for later; each is taken once per change: a refused
// file is said once and tried again only when it is written anew. After a restart the files
// already imported are skipped as duplicates (their SHA-256 is recorded).
int watch_folder(const Args& a, const std::filesystem::path& dir, const purchase::ImportOptions& o) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir))
    throw UsageError(fmt::format("purchase import --watch takes a folder: {} is not one", dir.string()));
  struct Seen {
    uintmax_t size = 0;
    fs::file_time_type time;
    bool taken = false;
  };
  std::map<fs::path, Seen> seen;
  const bool json = a.has("json");
  watch_every(watch_interval(a, 5), "purchase import", [&] {
    std::vector<fs::path> ready;
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string ext = e.path().extension().string();
      for (char& ch : ext) ch = char(std::tolower(static_cast<unsigned char>(ch)));
      if (ext != ".xml" || !e.is_regular_file()) continue;
      const Seen now{e.file_size(), e.last_write_time(), false};
      auto it = seen.find(e.path());
      if (it == seen.end() || it->second.size != now.size || it->second.time != now.time) {
        seen[e.path()] = now;  // new or changed: taken at the next look if it stays so
        continue;
      }
      if (!it->second.taken) ready.push_back(e.path());
      it->second.taken = true;
    }
    if (ready.empty()) return;
    std::sort(ready.begin(), ready.end());
    auto c = open_company(a);  // a seat only while importing, as deliver --watch
    for (const auto& file : ready) {
      const auto r = purchase::import_file(*c, file, o);
      std::cout << (json ? outcome_json(r) : outcome_text(r)) << std::endl;
    }
  });
  return 0;
}

int import_cmd(int argc, char** argv) {
  Args a = parse(argc, argv, 3, {"interval"}, {"create-supplier", "watch"});
  only_options(a, "purchase import", {"create-supplier", "watch", "interval"});
  if (a.positional.size() != 1) throw UsageError(kUsage);
  purchase::ImportOptions o;
  o.create_supplier = a.has("create-supplier");
  if (a.has("watch")) return watch_folder(a, path_from_utf8(a.positional[0]), o);
  watch_interval(a, 0);  // --interval without --watch is a usage error
  auto c = open_company(a);
  const auto outcomes = purchase::import_path(*c, path_from_utf8(a.positional[0]), o);
  size_t counts[3] = {0, 0, 0};
  for (const auto& r : outcomes) ++counts[size_t(r.kind)];
  if (a.has("json")) {
    std::cout << "{\"files\":[";
    for (size_t i = 0; i < outcomes.size(); ++i) std::cout << (i ? "," : "") << outcome_json(outcomes[i]);
    std::cout << fmt::format("],\"imported\":{},\"skipped\":{},\"refused\":{}}}\n", counts[0],
                             counts[1], counts[2]);
  } else {
    for (const auto& r : outcomes) std::cout << outcome_text(r) << "\n";
    if (outcomes.size() != 1)
      std::cout << fmt::format("{} imported, {} skipped, {} refused\n", counts[0], counts[1],
                               counts[2]);
  }
  return counts[2] ? 1 : 0;
}

int original_cmd(int argc, char** argv) {
  Args a = parse(argc, argv, 3, {"xml", "pdf"}, {});
  only_options(a, "purchase original", {"xml", "pdf"});
  if (a.positional.size() != 1) throw UsageError(kUsage);
  const int32_t id = id_of(a.positional[0], "a document id");
  auto c = open_company(a, false);
  const auto p = store::purchase_import_of(*c, id);
  if (!p) throw store::UserError(fmt::format("document {} was not imported from an e-invoice", id));
  const std::string xml = store::kept_place(*c, *p, store::kKeptXml), pdf = store::kept_place(*c, *p, store::kKeptPdf);
  auto& fsys = xbase::FileSystem::os();
  const auto pdf_bytes = store::read_kept(*c, *p, store::kKeptPdf);
  const bool has_pdf = pdf_bytes.has_value();
  if (a.options.count("xml")) {
    const auto bytes = store::read_kept(*c, *p, store::kKeptXml);
    if (!bytes) throw store::UserError(fmt::format("the kept e-invoice {} is missing", xml));
    xbase::write_durably(fsys, a.get("xml"), *bytes);
  }
  if (a.options.count("pdf")) {
    if (!has_pdf)
      throw store::UserError(fmt::format("document {}'s e-invoice had no embedded PDF", id));
    xbase::write_durably(fsys, a.get("pdf"), *pdf_bytes);
  }
  if (a.has("json")) {
    std::cout << fmt::format(
        "{{\"id\":{},\"file\":{},\"sha256\":{},\"imported\":{},\"user\":{},\"xml\":{},\"pdf\":{}}}"
        "\n",
        id, json_string(p->file), json_string(p->sha256), json_string(p->when),
        json_string(p->user), json_string(xml),
        has_pdf ? json_string(pdf) : "null");
  } else {
    std::cout << fmt::format("document {}: imported from {} on {} by {} (SHA-256 {})\n  XML {}\n",
                             id, p->file, p->when, p->user, p->sha256, xml);
    std::cout << (has_pdf ? fmt::format("  PDF {}\n", pdf)
                          : std::string("  no embedded PDF\n"));
  }
  return 0;
}

}  // namespace

int cmd_purchase(int argc, char** argv) {
  if (argc < 3) throw UsageError(kUsage);
  const std::string sub = argv[2];
  if (sub == "import") return import_cmd(argc, argv);
  if (sub == "original") return original_cmd(argc, argv);
  throw UsageError(kUsage);
}

}  // namespace invoicing::cli
