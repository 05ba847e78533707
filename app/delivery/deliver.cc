#include "delivery/deliver.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "delivery/delivery_log.h"
#include "delivery/path_template.h"
#include "delivery/targets.h"
#include "outputs/atomic_file.h"
#include "outputs/from_store.h"
#include "outputs/pdf_writer.h"
#include "outputs/ubl_writer.h"
#include "store/deliveries.h"
#include "store/documents.h"
#include "store/purchase_imports.h"
#include "store/errors.h"
#include "xbase/file.h"

namespace fs = std::filesystem;

namespace invoicing::delivery {

namespace {

using outputs::DocumentData;

std::string sha256_hex(std::string_view bytes) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  std::string out;
  for (unsigned char b : h) out += fmt::format("{:02x}", b);
  return out;
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One delivery at a time per data folder: two at once would both find a document undelivered.
class RunLock {
 public:
  explicit RunLock(const fs::path& file) {
    auto& fsys = xbase::FileSystem::os();
    fsys.create_directories(file.parent_path());
    // Created without truncating (the lock is on a byte range, the file stays empty).
    if (!fsys.exists(file)) fsys.open(file, xbase::OpenMode::create);
    file_ = fsys.open(file, xbase::OpenMode::read_write);
    if (!file_->lock(0, 1, xbase::LockMode::exclusive, false))
      throw store::UserError(
          "another `invoicing deliver` is running on this data folder (try again when it is done)");
  }

 private:
  std::unique_ptr<xbase::File> file_;  // closing it frees the lock
};

// Tests stop a run between two files (INVOICING_TEST_DELIVERY_PAUSE=N:FILE): after the Nth
// file the run creates FILE and waits, up to 60 s, until the test removes it. Only tests set it.
void test_pause(int files_written) {
  const char* spec = std::getenv("INVOICING_TEST_DELIVERY_PAUSE");
  if (!spec) return;
  const std::string s = spec;
  const size_t colon = s.find(':');
  if (colon == std::string::npos || std::atoi(s.substr(0, colon).c_str()) != files_written) return;
  const fs::path marker = s.substr(colon + 1);
  xbase::write_durably(xbase::FileSystem::os(), marker, "paused\n");
  for (int i = 0; i < 3000 && fs::exists(marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// A private customer or a foreign company without a number has no Peppol endpoint: such a
// document goes as a PDF only (as in `invoicing export`).
bool e_invoiceable(const DocumentData& d) {
  const auto& b = d.buyer;
  return !(b.vat_number.empty() && b.enterprise_number.empty() && b.kvk.empty() &&
           b.peppol_id.empty());
}

// The files of one document, made once however many targets want them.
struct Made {
  DocumentData data;
  std::optional<std::string> pdf, xml;
};

// What a target still lacks of a document: its kinds of file.
std::vector<std::string> wanted_kinds(const Made& m, bool with_pdf) {
  std::vector<std::string> k;
  if (e_invoiceable(m.data)) k.push_back("XML");
  if (with_pdf || !e_invoiceable(m.data)) k.push_back("PDF");
  return k;
}

// Why a target cannot be reached now ("" when it can): its share not mounted, its root gone.
std::string unreachable(const ResolvedPath& where, const std::string& share) {
  if (!where.mount.empty() && !is_mount_point(where.mount))
    return fmt::format("{} is not mounted at {}", share, where.mount.string());
  std::error_code ec;
  if (!fs::is_directory(where.root, ec))
    return fmt::format("its folder {} is missing (share not mounted, server off?)",
                       where.root.string());
  return "";
}

}  // namespace

// The delivery log and the lock that lets one delivery run at a time: in the data folder's
// logs/. A company in a database has no folder; they are kept on the machine that delivers
// (the service runs on one server): $XDG_STATE_HOME (else ~/.local/state)/xbase-invoicing/
// delivery/<the database, named without its password>.
fs::path logs_dir(const store::Company& c) {
  if (!store::is_database(c.dir())) return c.dir() / "logs";
  std::string shown = store::shown_target(c.dir());
  shown.erase(0, shown.find("://") == std::string::npos ? 0 : shown.find("://") + 3);
  std::string name = safe_component(shown);
  if (name.empty()) name = "database";
  const char* state = std::getenv("XDG_STATE_HOME");
  const char* home = std::getenv("HOME");
  const fs::path base = state && *state ? fs::path(state)
                                        : fs::path(home && *home ? home : ".") / ".local" / "state";
  return base / "xbase-invoicing" / "delivery" / name;
}

fs::path log_file(const store::Company& c) { return logs_dir(c) / "delivery.log"; }

RunReport run_delivery(store::Company& c, const RunOptions& o, const Say& say) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium cannot start");
  const auto all_targets = targets(c);
  if (all_targets.empty())
    throw store::UserError(
        "no delivery target: add one with invoicing deliver target add NAME --sales TEMPLATE "
        "--purchase TEMPLATE");
  RunLock lock(logs_dir(c) / "delivery.lock");
  DeliveryLog log(log_file(c), uintmax_t(c.int_setting("delivery_log_kb", 1024)) * 1024,
                  c.who().user + "@" + c.who().workstation);
  RunReport rep;
  const auto tell = [&](const std::string& text) {
    log.write(text);
    if (say) say(text);
  };
  const auto fail = [&](const std::string& text) {
    rep.failures.push_back(text);
    tell("FAILED " + text);
  };

  outputs::DocumentReader reader(c);
  const xbase::Date first = o.since ? *o.since : xbase::Date{1900, 1, 1};
  auto views = reader.period({domain::DocType::invoice, domain::DocType::credit_note}, first,
                             xbase::Date{9999, 12, 31});
  // Registered purchase invoices imported from an e-invoice go to each target's purchase
  // folder with the supplier's original XML (and its PDF beside it when the target wants it).
  std::vector<store::PurchaseImport> purchases;
  for (const auto& p : store::all_purchase_imports(c)) {
    const auto v = store::Documents(c).show(p.doc_id);
    if (v.doc.status == domain::DocStatus::final && xbase::julian_day(v.doc.date) >= xbase::julian_day(first))
      purchases.push_back(p);
  }
  if (o.force) {
    bool found = false;
    for (const auto& v : views) found = found || v.doc.id == o.force;
    for (const auto& p : purchases) found = found || p.doc_id == o.force;
    if (!found)
      throw store::UserError(fmt::format(
          "document {} is no final invoice or credit note, nor an imported purchase invoice{} (--force "
          "delivers one again)",
          o.force, o.since ? " dated from --since" : ""));
  }
  rep.documents = int(views.size() + purchases.size());
  const auto mount_map = mounts(c);
  const auto vars = company_variables(c);
  std::map<int32_t, Made> made;
  int written = 0;

  // One document's files for a target: its label, the name they get (without extension) and
  // the bytes of each kind the target wants.
  struct Files {
    std::string label, stem;
    std::vector<std::pair<std::string, std::string>> kinds;  // "XML"/"PDF" -> bytes
  };
  using Provider = std::function<Files(int32_t id, bool with_pdf)>;

  const Provider sales = [&](int32_t id, bool with_pdf) {
    auto it = made.find(id);
    if (it == made.end()) it = made.emplace(id, Made{reader.read(id), {}, {}}).first;
    Made& m = it->second;
    Files f{outputs::display_number(m.data), outputs::document_file_stem(m.data), {}};
    if (!m.pdf) m.pdf = outputs::write_pdf(m.data, reader.layout(m.data.type));
    if (e_invoiceable(m.data) && !m.xml) {
      DocumentData for_ubl = m.data;
      outputs::add_buyer_reference(for_ubl);
      m.xml = outputs::write_ubl(for_ubl, {outputs::pdf_attachment(for_ubl, *m.pdf)});
    }
    for (const auto& k : wanted_kinds(m, with_pdf)) f.kinds.push_back({k, k == "XML" ? *m.xml : *m.pdf});
    return f;
  };
  const Provider purchase = [&](int32_t id, bool with_pdf) {
    const auto p = store::purchase_import_of(c, id);
    if (!p) throw std::runtime_error(fmt::format("document {} has no imported e-invoice", id));
    const auto v = store::Documents(c).show(id);
    std::string supplier;  // the supplier's code as a plain file name part
    for (char ch : v.party_code)
      supplier += std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' ? ch : '_';
    Files f{v.label, fmt::format("purchase-{}-{:04}-{}", v.doc.year, v.doc.number, supplier), {}};
    const auto xml = store::read_kept(c, *p, store::kKeptXml);
    if (!xml) throw std::runtime_error(fmt::format("{} is missing", store::kept_place(c, *p, store::kKeptXml)));
    f.kinds.push_back({"XML", *xml});
    if (with_pdf)
      if (const auto pdf = store::read_kept(c, *p, store::kKeptPdf)) f.kinds.push_back({"PDF", *pdf});
    return f;
  };

  // Every document of `ids` the target lacks goes to the folder of `tpl_text`.
  const auto deliver_to = [&](const Target& t, const std::string& tpl_text, const std::vector<int32_t>& ids,
                              const Provider& files_of) {
    // Which documents this target still lacks, before touching the target at all.
    std::vector<std::pair<int32_t, std::set<std::string>>> todo;
    for (int32_t id : ids) {
      std::set<std::string> have;
      if (id != o.force)
        for (const auto& d : store::deliveries_of(c, id))
          if (d.target == t.name) have.insert(d.kind);
      todo.push_back({id, have});
    }
    const auto skip_rest = [&](size_t from) { rep.waiting += int(todo.size() - from); };
    if (o.skip_targets.count(t.name)) return;  // backing off: the caller counts its documents later

    ResolvedPath where;
    std::string share;
    try {
      const PathTemplate tpl = parse_template(tpl_text);
      share = tpl.unc_share;
      where = resolve(tpl, vars, mount_map);
    } catch (const std::invalid_argument& e) {
      fail(fmt::format("target {}: {}", t.name, e.what()));
      skip_rest(0);
      return;
    }
    for (size_t i = 0; i < todo.size(); ++i) {
      const int32_t id = todo[i].first;
      // The bytes, once per document.
      Files files;
      try {
        files = files_of(id, t.with_pdf);
      } catch (const std::exception& e) {
        fail(fmt::format("document {} cannot be made for target {}: {}", id, t.name, e.what()));
        ++rep.waiting;
        continue;
      }
      const std::string& label = files.label;
      std::vector<std::pair<std::string, std::string>> kinds;
      for (auto& k : files.kinds)
        if (!todo[i].second.count(k.first)) kinds.push_back(std::move(k));
      if (kinds.empty()) continue;

      // The target must be there: a missing root is a share that is not mounted, never a
      // folder to create (the files would land on the local disk under the mount point).
      if (const std::string why = unreachable(where, share); !why.empty()) {
        fail(fmt::format("target {} cannot be reached: {}; {} document(s) wait for the next run",
                         t.name, why, todo.size() - i));
        rep.unreachable.insert(t.name);
        skip_rest(i);
        return;
      }
      try {
        xbase::FileSystem::os().create_directories(where.dir);
        // A symbolic link below the root must not lead the files elsewhere.
        if (!is_within(fs::canonical(where.dir), fs::canonical(where.root)))
          throw std::runtime_error(
              fmt::format("{} leads out of the target's root {} (a symbolic link)",
                          where.dir.string(), where.root.string()));
      } catch (const std::exception& e) {
        fail(fmt::format("target {} cannot be reached: {}; {} document(s) wait for the next run",
                         t.name, e.what(), todo.size() - i));
        rep.unreachable.insert(t.name);
        skip_rest(i);
        return;
      }

      bool target_down = false;
      for (const auto& [kind, bytes] : kinds) {
        const std::string sha = sha256_hex(bytes);
        const fs::path file = where.dir / (files.stem + (kind == "XML" ? ".xml" : ".pdf"));
        try {
          // A file of ours whose record was lost (the run was killed after its rename) is
          // recorded as it is; a different file under the name is someone else's.
          const bool there = fs::exists(file);
          const auto old = there ? read_file(file) : std::nullopt;
          if (there && !(old && sha256_hex(*old) == sha) && id != o.force) {
            fail(
                fmt::format("{} for target {}: {} exists with other content (not delivered by this "
                            "run): move it "
                            "away, or replace it with --force {}",
                            label, t.name, file.string(), id));
            continue;
          }
          if (!there || id == o.force) outputs::write_file_atomically(file, bytes);
        } catch (const std::exception& e) {
          const std::string why = unreachable(where, share);
          fail(fmt::format("target {} cannot be {}: {}; {} document(s) wait for the next run",
                           t.name, why.empty() ? "written" : "reached",
                           why.empty() ? e.what() : why, todo.size() - i));
          target_down = true;
          rep.unreachable.insert(t.name);
          break;
        }
        store::record_delivery(c, {id, t.name, kind, file.string(), sha, "", ""});
        rep.delivered.push_back({id, label, t.name, kind, file.string(), sha});
        tell(fmt::format("delivered {} ({}) to {}: {} sha256={}", label, kind, t.name,
                         file.string(), sha));
        test_pause(++written);
      }
      if (target_down) {
        skip_rest(i);
        return;
      }
    }
  };

  std::vector<int32_t> sales_ids, purchase_ids;
  for (const auto& v : views) sales_ids.push_back(v.doc.id);
  for (const auto& p : purchases) purchase_ids.push_back(p.doc_id);
  for (const Target& t : all_targets) {
    deliver_to(t, t.sales, sales_ids, sales);
    if (!purchase_ids.empty()) deliver_to(t, t.purchase, purchase_ids, purchase);
  }
  return rep;
}

}  // namespace invoicing::delivery
