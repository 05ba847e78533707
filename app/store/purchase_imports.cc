#include "store/purchase_imports.h"

#include <fmt/format.h>

#include "store/clock.h"
#include "store/field_rules.h"

namespace invoicing::store {

namespace {
PurchaseImport import_from(const Row& r) {
  PurchaseImport p;
  p.doc_id = int32_t(r.integer(fld::doc_id));
  p.sha256 = r.text(fld::sha256);
  p.file = r.text(fld::file);
  p.kept = r.text(fld::kept);
  p.when = datetime_text(r.get(fld::when));
  p.user = r.text(fld::user);
  return p;
}
}  // namespace

std::optional<PurchaseImport> purchase_import_by_sha(Company& c, const std::string& sha256) {
  std::optional<PurchaseImport> out;
  c.storage().range(Tbl::purchimp, "SHA", {xbase::Value::text(sha256)}, [&](const Row& r) {
    out = import_from(r);
    return false;
  });
  return out;
}

std::optional<PurchaseImport> purchase_import_of(Company& c, int32_t doc_id) {
  std::optional<PurchaseImport> out;
  c.storage().range(Tbl::purchimp, "DOC", {xbase::Value::integer(doc_id)}, [&](const Row& r) {
    out = import_from(r);
    return false;
  });
  return out;
}

std::vector<PurchaseImport> all_purchase_imports(Company& c) {
  std::vector<PurchaseImport> out;
  c.storage().scan(Tbl::purchimp, [&](const Row& r) {
    out.push_back(import_from(r));
    return true;
  });
  return out;
}

std::string kept_name(const PurchaseImport& p, const char* which) {
  // The record's folder is "purchases/17": the kind's folder and the document's subfolder.
  const std::string prefix = std::string(file_kind_name(FileKind::purchase)) + "/";
  const std::string sub = p.kept.starts_with(prefix) ? p.kept.substr(prefix.size()) : p.kept;
  return sub + "/" + which;
}

std::optional<std::string> read_kept(Company& c, const PurchaseImport& p, const char* which) {
  return c.storage().read_file(FileKind::purchase, kept_name(p, which));
}

std::string kept_place(Company& c, const PurchaseImport& p, const char* which) {
  const std::string rel = std::string(file_kind_name(FileKind::purchase)) + "/" + kept_name(p, which);
  if (is_database(c.dir())) return fmt::format("{} in the {}", rel, c.storage().describe());
  return (c.dir() / rel).string();
}

PurchaseImport keep_purchase_import(Company& c, int32_t doc_id, const std::string& file_name,
                                    const std::string& sha256, const std::string& xml,
                                    const std::string& pdf) {
  PurchaseImport p;
  p.doc_id = doc_id;
  p.sha256 = sha256;
  p.file = fitted_text(Tbl::purchimp, fld::file, file_name);
  p.kept = fmt::format("{}/{}", file_kind_name(FileKind::purchase), doc_id);
  Row r;
  r.integer(fld::doc_id, doc_id);
  r.text(fld::sha256, sha256);
  r.text(fld::file, p.file);
  r.text(fld::kept, p.kept);
  r.set(fld::when, xbase::Value::datetime(now_datetime()));
  r.text(fld::user, fitted_text(Tbl::purchimp, fld::user, c.who().user));
  r.text(fld::workstation, fitted_text(Tbl::purchimp, fld::workstation, c.who().workstation));
  Action a(c.storage());
  // The files first: a record never names a file that is not complete.
  c.storage().write_file(FileKind::purchase, kept_name(p, kKeptXml), xml);
  if (!pdf.empty()) c.storage().write_file(FileKind::purchase, kept_name(p, kKeptPdf), pdf);
  c.storage().insert(Tbl::purchimp, r);
  a.commit();
  return p;
}

}  // namespace invoicing::store
