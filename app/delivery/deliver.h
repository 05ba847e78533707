// One delivery run: every final invoice and credit note that a target has not received yet
// goes to its sales folder, every purchase invoice imported from a supplier's e-invoice (that
// original XML) to its purchase folder, each file complete or not at all (written under a
// temporary name in the target folder, flushed, renamed), and only then recorded in DELIVERY. A target that cannot be
// reached (its root missing, no permission, disk full) is reported and its documents wait for
// the next run; nothing is recorded for a file that is not complete under its final name.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "store/company.h"
#include "xbase/value.h"

namespace invoicing::delivery {

struct RunOptions {
  std::optional<xbase::Date> since;  // only documents dated from this day
  int32_t force = 0;                 // deliver this document again to every target (0: none)
  // Targets this pass leaves alone (--watch backs off from a target that was unreachable).
  std::set<std::string> skip_targets;
};

struct DeliveredFile {
  int32_t doc_id = 0;
  std::string document;  // "INV 2026/0001"
  std::string target;
  std::string kind;  // "XML" or "PDF"
  std::string file;
  std::string sha256;
};

struct RunReport {
  std::vector<DeliveredFile> delivered;
  std::vector<std::string> failures;  // a target unreachable, a document that cannot be made
  int waiting = 0;                    // documents x targets left for a later run
  int documents = 0;                  // invoices, credit notes and imported purchase invoices looked at
  std::set<std::string> unreachable;  // targets that could not be reached (or written) this pass
};

// Reports each delivery and failure to `say` as it happens (also into the log).
using Say = std::function<void(const std::string&)>;

// Throws store::UserError when no target is configured, when --force names no final invoice or
// credit note, or when another delivery runs on the data folder.
RunReport run_delivery(store::Company& c, const RunOptions& o, const Say& say);

// The delivery log: the data folder's logs/delivery.log; for a company in a database, in this
// machine's state folder (deliver.cc: logs_dir).
std::filesystem::path log_file(const store::Company& c);

}  // namespace invoicing::delivery
