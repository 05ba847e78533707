// invoicing company show|set (the company's own data on its documents), invoicing layout
// show|reset (the PDF layout files in the data folder's layouts/), invoicing pdf-dir (where
// this workstation keeps the PDF of each finalized document).
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "outputs/atomic_file.h"
#include "outputs/from_store.h"
#include "outputs/layout.h"
#include "outputs/pdf_writer.h"
#include "outputs/seller.h"
#include "outputs/ubl_rules.h"
#include "store/company_profile.h"
#include "xbase/error.h"
#include "xbase/file.h"
#include "xbase/absolute_path.h"

namespace fs = std::filesystem;
using invoicing::domain::DocType;

namespace invoicing::cli {

namespace {

void print_profile(store::Company& c, const store::CompanyProfile& p, bool json) {
  const auto problems = outputs::check_seller(outputs::seller_party(p, outputs::layouts_dir(c)), "company");
  if (json) {
    std::string s = "{";
    for (const auto& f : store::profile_fields())
      s += fmt::format("{}:{},", json_string(std::string(f.option)), json_string(p.*f.member));
    s += "\"e_invoice_problems\":[";
    for (size_t i = 0; i < problems.size(); ++i) s += (i ? "," : "") + json_string(problems[i].message);
    std::cout << s << "]}\n";
    return;
  }
  for (const auto& f : store::profile_fields())
    std::cout << fmt::format("{:<18} {}\n", f.what, f.key == "logo" && !p.logo.empty() ? outputs::layout_place(c, p.logo) : p.*f.member);
  if (problems.empty()) {
    std::cout << fmt::format("{:<18} {}\n", "e-invoices", "the company's data is complete");
  } else {
    std::cout << "e-invoices need:\n";
    for (const auto& pr : problems) std::cout << "  " << pr.message << "\n";
  }
}

// "logo.png" or "logo.jpg" for a logo file, after reading it as the PDF writer will.
std::string logo_name(const std::string& file) {
  try {
    outputs::check_logo(file);
  } catch (const std::exception& e) {
    throw store::UserError(e.what());
  }
  std::ifstream in(file, std::ios::binary);
  char magic[3] = {};
  in.read(magic, 3);
  return magic[0] == '\xFF' && magic[1] == '\xD8' ? "logo.jpg" : "logo.png";
}

std::string read_bytes(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw store::UserError(p.string() + ": cannot be read");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

DocType layout_type(const std::string& s) {
  for (DocType t : {DocType::quote, DocType::order, DocType::delivery_note, DocType::invoice, DocType::credit_note,
                    DocType::purchase_invoice})
    if (s == outputs::type_file_word(t)) return t;
  throw UsageError(fmt::format("\"{}\" is not a document type (quote, order, delivery-note, invoice, credit-note, "
                               "purchase-invoice)",
                               s));
}

}  // namespace

int cmd_company(int argc, char** argv) {
  const char* usage =
      "usage: invoicing company show\n"
      "       invoicing company set [--name N] [--street S] [--postcode P] [--city C] [--country BE] [--vat V]\n"
      "             [--enterprise-no N] [--iban I] [--bic B] [--email E] [--phone P] [--logo FILE|--no-logo]\n"
      "             [--peppol-id SCHEME:VALUE]";
  if (argc < 3) throw UsageError(usage);
  const std::string sub = argv[2];
  std::set<std::string> valued;
  for (const auto& f : store::profile_fields()) valued.insert(std::string(f.option));
  Args a = parse(argc, argv, 3, valued, {"no-logo"});
  if (!a.positional.empty() || (sub != "show" && sub != "set")) throw UsageError(usage);
  if (sub == "show") only_options(a, "company show", {});
  auto c = open_company(a);
  store::CompanyProfile p = store::read_company_profile(*c);
  if (sub == "show") {
    for (const auto& f : store::profile_fields())
      if (a.options.count(std::string(f.option))) throw UsageError(usage);
    print_profile(*c, p, a.has("json"));
    return 0;
  }
  bool any = a.has("no-logo");
  for (const auto& f : store::profile_fields())
    if (a.options.count(std::string(f.option)) && f.key != "logo") {
      p.*f.member = a.get(std::string(f.option));
      any = true;
    }
  if (a.options.count("logo") && a.has("no-logo")) throw UsageError("--logo FILE or --no-logo, not both");
  if (!any && !a.options.count("logo")) throw UsageError(usage);
  // Every value is checked first; a refused value changes nothing.
  std::vector<std::string> bad;
  for (const auto& pr : outputs::normalize_profile(p)) {
    const auto& fields = store::profile_fields();
    auto f = std::find_if(fields.begin(), fields.end(), [&](const auto& x) { return x.key == pr.key; });
    // A stored value that was wrong before is shown by `company show`; it does not block
    // changing another field.
    if (pr.key == "company" || a.options.count(std::string(f->option))) bad.push_back(pr.message);
  }
  std::string logo_bytes, new_logo;
  if (a.options.count("logo")) {
    const std::string file = a.get("logo");
    new_logo = logo_name(file);
    logo_bytes = read_bytes(file);
  }
  if (!bad.empty()) {
    std::string msg = "the company's data was not changed:";
    for (const auto& b : bad) msg += "\n  " + b;
    throw store::UserError(msg);
  }
  const std::string old_logo = p.logo;
  if (!new_logo.empty()) {
    c->storage().write_file(store::FileKind::layout, new_logo, logo_bytes);
    p.logo = new_logo;
  }
  if (a.has("no-logo")) p.logo.clear();
  store::write_company_profile(*c, p);
  // The logo file the settings no longer name (logo.jpg replaced by logo.png) goes.
  if (!old_logo.empty() && old_logo != p.logo && !new_logo.empty()) {
    try {
      c->storage().remove_file(store::FileKind::layout, old_logo);
    } catch (const std::exception&) {
      // The profile names the new logo already; an old file left over harms nothing.
    }
  }
  print_profile(*c, p, a.has("json"));
  return 0;
}

int cmd_layout(int argc, char** argv) {
  const char* usage = "usage: invoicing layout show TYPE | layout reset TYPE|default | layout set TYPE|default FILE";
  if (argc < 3) throw UsageError(usage);
  const std::string sub = argv[2];
  Args a = parse(argc, argv, 3, {}, {});
  if (a.positional.size() != (sub == "set" ? 2u : 1u) || (sub != "show" && sub != "reset" && sub != "set"))
    throw UsageError(usage);
  const std::string which = a.positional[0];
  auto c = open_company(a, false);
  auto& files = c->storage();
  if (sub == "set") {
    // A layout file of one's own (what `layout show` prints, edited), checked whole before it
    // is kept: a company in a database has no folder to put it in by hand.
    if (which != "default") layout_type(which);
    const std::string text = read_bytes(a.positional[1]);
    try {
      outputs::parse_layout(text, a.positional[1]);
    } catch (const outputs::LayoutError& e) {
      throw store::UserError(fmt::format("{} (the layout was not changed)", e.what()));
    }
    const std::string file = which + ".ini";
    files.write_file(store::FileKind::layout, file, text);
    std::cout << fmt::format("{} now has the layout of {}, kept as {}\n", which, a.positional[1],
                             outputs::layout_place(*c, file));
    return 0;
  }
  if (sub == "show") {
    const DocType t = layout_type(which);
    outputs::Layout l;
    try {
      l = outputs::company_layout(*c, t);
    } catch (const outputs::LayoutError& e) {
      throw store::UserError(e.what());  // names the file, the line and the key
    }
    std::string from;
    for (const std::string& name : {std::string("default.ini"), outputs::layout_file_name(t)})
      if (files.read_file(store::FileKind::layout, name)) from += " " + outputs::layout_place(*c, name);
    std::cout << fmt::format("# the layout of a {}: built-in defaults{}{}\n", outputs::type_file_word(t),
                             from.empty() ? "" : ", then", from)
              << outputs::layout_text(l);
    return 0;
  }
  if (which != "default") layout_type(which);
  const std::string file = which + ".ini";
  const auto text = files.read_file(store::FileKind::layout, file);
  if (!text) {
    std::cout << fmt::format("{} has no layout file of its own ({}): nothing to reset\n", which,
                             outputs::layout_place(*c, file));
    return 0;
  }
  // Kept beside, never deleted: a layout someone made is not lost by a reset.
  std::string kept = file + ".old";
  for (int n = 2; files.read_file(store::FileKind::layout, kept); ++n) kept = fmt::format("{}.ini.old-{}", which, n);
  files.write_file(store::FileKind::layout, kept, *text);
  files.remove_file(store::FileKind::layout, file);
  std::cout << fmt::format("{} now has the {} layout; the file was kept as {}\n", which,
                           which == "default" ? "built-in" : "default", outputs::layout_place(*c, kept));
  return 0;
}

int cmd_pdf_dir(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {}, {"off"});
  if (a.positional.size() > 1 || (a.has("off") && !a.positional.empty()))
    throw UsageError("usage: invoicing pdf-dir [FOLDER | --off]");
  const std::string data = path_utf8(xbase::absolute_path(path_from_utf8(data_dir(a))));
  if (a.has("off")) {
    std::cout << change_local_setting("pdf_dir", "", data) << "\n";
    return 0;
  }
  if (a.positional.empty()) {
    const std::string d = pdf_dir_setting(data);
    if (d.empty()) std::cout << "no PDF folder set for " << data << " on this workstation\n";
    else std::cout << d << "\n";
    return 0;
  }
  std::cout << change_local_setting("pdf_dir", a.positional[0], data) << "\n";
  return 0;
}

}  // namespace invoicing::cli
