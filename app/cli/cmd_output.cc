// invoicing doc pdf|ubl, invoicing export, and the PDF written when a document is finalized:
// documents read through the store (outputs/from_store.h), written by the output library.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "cli.h"
#include "outputs/atomic_file.h"
#include "outputs/document_overview.h"
#include "outputs/from_store.h"
#include "outputs/pdf_writer.h"
#include "outputs/table_writer.h"
#include "outputs/ubl_writer.h"
#include "outputs/zip_writer.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;
using invoicing::domain::DocStatus;
using invoicing::domain::DocType;
using namespace invoicing::outputs;

namespace invoicing::cli {

namespace {

int32_t document_id(const Args& a, const std::string& usage) {
  if (a.positional.size() != 1) throw UsageError(usage);
  return id_of(a.positional[0], "a document id");
}

std::string language_option(const Args& a) {
  std::string l = a.get("lang");
  if (!l.empty() && l != "nl" && l != "fr" && l != "en") throw UsageError(fmt::format("--lang \"{}\": nl, fr or en", l));
  return l;
}

// A PDF or e-invoice is made of an issued document: a draft has no number yet.
void require_issued(const DocumentData& d) {
  if (d.status == DocStatus::draft)
    throw store::UserError(fmt::format("{} is a draft: finalize it first (a draft has no number yet)", display_number(d)));
  if (d.status == DocStatus::cancelled) throw store::UserError(fmt::format("{} is cancelled", display_number(d)));
}

// Every reason these documents cannot be e-invoices, checked before anything is written.
void require_e_invoices(const std::vector<DocumentData>& docs) {
  std::vector<std::string> problems;
  for (const DocumentData& d : docs)
    for (const UblProblem& p : validate_for_ubl(d)) problems.push_back(p.message);
  if (problems.empty()) return;
  std::string msg = docs.size() == 1 ? fmt::format("{} cannot be an e-invoice (nothing was written):", display_number(docs[0]))
                                     : "these documents cannot be e-invoices (nothing was written):";
  const size_t shown = std::min<size_t>(problems.size(), 50);
  for (size_t i = 0; i < shown; ++i) msg += "\n  " + problems[i];
  if (shown < problems.size()) msg += fmt::format("\n  ... and {} more", problems.size() - shown);
  throw store::UserError(msg);
}

// The e-invoice of a document whose PDF is `pdf`, the document's PDF embedded.
std::string e_invoice(DocumentData doc, std::string pdf) {
  add_buyer_reference(doc);
  Attachment att = pdf_attachment(doc, std::move(pdf));
  return write_ubl(doc, {std::move(att)});
}

fs::path default_name(const DocumentData& d, const char* ext) { return document_file_stem(d) + "." + ext; }

void write_output(const std::string& out, const std::string& bytes) {
  if (out == "-") {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    std::fflush(stdout);
    return;
  }
  write_file_atomically(out, bytes);
}

void say_written(const Args& a, const std::string& file, const DocumentData& d, size_t bytes) {
  if (file == "-") return;
  if (a.has("json"))
    std::cout << fmt::format("{{\"file\":{},\"document\":{},\"bytes\":{}}}\n", json_string(file),
                             json_string(display_number(d)), bytes);
  else
    std::cout << fmt::format("wrote {} ({}, {} bytes)\n", file, display_number(d), bytes);
}

std::vector<DocType> export_types(const std::string& s, bool e_invoices) {
  if (s.empty() || s == "all") return {DocType::invoice, DocType::credit_note};
  std::vector<DocType> t;
  if (s == "invoice") t = {DocType::invoice};
  else if (s == "credit_note" || s == "credit-note") t = {DocType::credit_note};
  else if (s == "quote") t = {DocType::quote};
  else if (s == "order") t = {DocType::order};
  else if (s == "delivery-note" || s == "delivery_note") t = {DocType::delivery_note};
  else if (s == "purchase-invoice" || s == "purchase_invoice") t = {DocType::purchase_invoice};
  else
    throw UsageError(fmt::format("--type \"{}\": invoice, credit-note, all (both), quote, order, delivery-note or "
                                 "purchase-invoice",
                                 s));
  if (e_invoices && t[0] != DocType::invoice && t[0] != DocType::credit_note)
    throw UsageError(fmt::format("--type {}: only invoices and credit notes are e-invoices (--format pdf for others)", s));
  return t;
}

xbase::Date required_date(const Args& a, const std::string& name) {
  if (!a.options.count(name)) throw UsageError(fmt::format("--{} YYYY-MM-DD is required", name));
  return *date_option(a, name);  // the reason with it: "February 2025 has 28 days"
}

// The overview tables as one CSV table: invoices, then credit notes (negative), one total.
Table merged(std::vector<Table> tables) {
  Table all = std::move(tables.front());
  for (size_t i = 1; i < tables.size(); ++i)
    for (auto& row : tables[i].rows) all.rows.push_back(std::move(row));
  return all;
}

}  // namespace

std::string pdf_dir_setting(const std::string& data) {
  std::string section;
  try {
    section = path_utf8(xbase::absolute_path(path_from_utf8(data)));
  } catch (const std::exception&) {
  }
  return local_setting("pdf_dir", section);
}

bool finalized_pdf_due(store::Company& c) { return !pdf_dir_setting(c.dir().string()).empty(); }

bool write_finalized_pdf(store::Company& c, int32_t id, bool json) {
  const std::string dir = pdf_dir_setting(c.dir().string());
  if (dir.empty()) return true;
  std::string label = fmt::format("document {}", id);
  try {
    DocumentReader reader(c);
    const DocumentData d = reader.read(id);
    label = display_number(d);
    if (d.type == DocType::purchase_invoice) return true;  // the supplier's document, not ours to print
    xbase::FileSystem::os().create_directories(dir);
    const fs::path written = write_new_file(fs::path(dir) / default_name(d, "pdf"), write_pdf(d, reader.layout(d.type)));
    if (!json) std::cout << "PDF " << written.string() << "\n";
    return true;
  } catch (const std::exception& e) {
    std::cerr << fmt::format("invoicing: {} is final, but its PDF could not be written to {}: {}\n"
                             "  write it with: invoicing doc pdf {} --out FILE\n",
                             label, dir, e.what(), id);
    return false;
  }
}

int cmd_doc_output(int argc, char** argv) {
  const std::string sub = argv[2];
  Args a = parse(argc, argv, 3, {"out", "lang"}, {});
  const std::string usage = sub == "pdf" ? "usage: invoicing doc pdf ID [--out FILE|-] [--lang nl|fr|en]"
                                         : "usage: invoicing doc ubl ID [--out FILE|-]";
  const int32_t id = document_id(a, usage);
  const std::string lang = sub == "pdf" ? language_option(a) : "";
  if (sub == "ubl" && a.options.count("lang")) throw UsageError(usage);
  auto c = open_company(a);
  DocumentReader reader(*c);
  const DocumentData d = reader.read(id);
  require_issued(d);
  if (sub == "pdf") {
    const std::string pdf = write_pdf(d, reader.layout(d.type), lang);
    const std::string out = a.get("out", default_name(d, "pdf").string());
    write_output(out, pdf);
    say_written(a, out, d, pdf.size());
    return 0;
  }
  DocumentData for_ubl = d;
  add_buyer_reference(for_ubl);
  require_e_invoices({for_ubl});
  const std::string xml = e_invoice(d, write_pdf(d, reader.layout(d.type)));
  const std::string out = a.get("out", default_name(d, "xml").string());
  write_output(out, xml);
  say_written(a, out, d, xml.size());
  return 0;
}

int cmd_export(int argc, char** argv) {
  // `export customers|suppliers|articles`: the records, as the import takes them back.
  if (argc >= 3 && argv[2][0] != '-') return cmd_export_records(argc, argv);
  Args a = parse(argc, argv, 2, {"type", "from", "to", "format", "zip", "out", "lang"}, {});
  const char* usage =
      "usage: invoicing export --from YYYY-MM-DD --to YYYY-MM-DD [--type invoice|credit-note|all|...]\n"
      "         --format pdf|ubl|pdf+ubl --zip FILE.zip\n"
      "       invoicing export --from ... --to ... [--type ...] --format xlsx|csv [--out FILE] [--lang nl|fr|en]";
  if (!a.positional.empty()) throw UsageError(usage);
  const std::string format = a.get("format");
  const bool archive = format == "pdf" || format == "ubl" || format == "pdf+ubl";
  const bool table = format == "xlsx" || format == "csv";
  if (!archive && !table) throw UsageError(fmt::format("--format \"{}\": pdf, ubl, pdf+ubl, xlsx or csv\n{}", format, usage));
  if (archive && (a.get("zip").empty() || a.options.count("out")))
    throw UsageError(fmt::format("--format {} writes one ZIP: give --zip FILE.zip\n{}", format, usage));
  if (table && a.options.count("zip")) throw UsageError(fmt::format("--format {} writes --out FILE, not a ZIP", format));
  const bool pdfs = format == "pdf" || format == "pdf+ubl", ubls = format == "ubl" || format == "pdf+ubl";
  const auto types = export_types(a.get("type"), ubls);
  const xbase::Date from = required_date(a, "from"), to = required_date(a, "to");
  if (xbase::julian_day(to) < xbase::julian_day(from)) throw UsageError("--to is before --from");
  const std::string lang = language_option(a);
  const std::string period = fmt::format("{} to {}", a.get("from"), a.get("to"));

  auto c = open_company(a);
  DocumentReader reader(*c);
  std::vector<DocumentData> docs;
  for (const auto& v : reader.period(types, from, to)) docs.push_back(reader.read(v.doc.id));
  if (docs.empty()) throw store::UserError(fmt::format("no {} dated {} (nothing was written)", a.get("type", "invoices or credit notes"), period));

  if (table) {
    const std::string l = lang.empty() ? "nl" : lang;
    auto tables = overview_tables(docs, l);
    const std::string out = a.get("out", fmt::format("overview-{}-{}.{}", a.get("from"), a.get("to"), format));
    if (format == "xlsx") {
      if (out == "-") throw UsageError("an XLSX workbook is written to a file: --out FILE.xlsx");
      write_xlsx(tables, out);
    } else {
      write_output(out, write_csv(merged(std::move(tables))));
    }
    if (out != "-") {
      if (a.has("json")) std::cout << fmt::format("{{\"file\":{},\"documents\":{}}}\n", json_string(out), docs.size());
      else std::cout << fmt::format("wrote {}: {} documents dated {}\n", out, docs.size(), period);
    }
    return 0;
  }

  // Peppol reaches a buyer only through an endpoint (BT-49): private customers and foreign
  // companies without a registration number get their document as a PDF. They are named on
  // stderr, not refused, so one consumer invoice does not stop a quarter's e-invoices; a
  // business whose number is wrong is still refused below (its endpoint exists but fails).
  std::vector<bool> e_invoiced(docs.size(), ubls);
  std::vector<std::string> pdf_only;
  if (ubls) {
    std::vector<DocumentData> checked;
    for (size_t i = 0; i < docs.size(); ++i) {
      const Party& b = docs[i].buyer;
      if (b.vat_number.empty() && b.enterprise_number.empty() && b.kvk.empty() && b.peppol_id.empty()) {
        e_invoiced[i] = false;
        pdf_only.push_back(fmt::format("{} ({})", display_number(docs[i]), b.name));
        continue;
      }
      checked.push_back(docs[i]);
      add_buyer_reference(checked.back());
    }
    require_e_invoices(checked);
  }
  const std::string zip_path = a.get("zip");
  ZipWriter zip(zip_path);
  for (size_t i = 0; i < docs.size(); ++i) {
    const DocumentData& d = docs[i];
    std::string pdf = write_pdf(d, reader.layout(d.type), lang), xml;
    // The e-invoice embeds the PDF in the customer's language, whatever --lang says.
    if (e_invoiced[i]) xml = e_invoice(d, lang.empty() ? pdf : write_pdf(d, reader.layout(d.type)));
    if (pdfs) zip.add(zip_entry_name(d, "pdf"), std::move(pdf));
    if (e_invoiced[i]) zip.add(zip_entry_name(d, "xml"), std::move(xml));
  }
  zip.finish();
  if (!pdf_only.empty()) {
    std::string note = fmt::format("no e-invoice for {} document(s) whose customer has no Peppol endpoint (private customer, "
                                   "or no VAT, enterprise or KvK number):",
                                   pdf_only.size());
    for (const auto& l : pdf_only) note += "\n  " + l;
    std::cerr << note << (pdfs ? "\n(their PDFs are in the ZIP)\n" : "\n");
  }
  if (a.has("json"))
    std::cout << fmt::format("{{\"file\":{},\"documents\":{},\"entries\":{}}}\n", json_string(zip_path), docs.size(),
                             zip.entries());
  else
    std::cout << fmt::format("wrote {}: {} documents dated {} ({} files, {})\n", zip_path, docs.size(), period,
                             zip.entries(), format);
  return 0;
}

}  // namespace invoicing::cli
