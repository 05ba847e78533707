// The accounting targets and the UNC mount points, kept in the company's settings through the
// store (SETTINGS records "deliver:NAME" and "deliver-mounts", their text in the memo), so
// every workstation and the delivery service see the same configuration.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "delivery/path_template.h"
#include "store/company.h"

namespace invoicing::delivery {

struct Target {
  std::string name;       // 1-20 letters, digits, '-' or '_'
  std::string sales;      // path template of sales documents (invoices, credit notes)
  std::string purchase;   // path template of purchase documents
  bool with_pdf = false;  // the PDF beside the e-invoice too
};

// Every target, by name.
std::vector<Target> targets(store::Company& c);
// Adds or replaces a target after checking its name and both templates (throws
// store::UserError saying what is wrong; nothing is stored then).
void put_target(store::Company& c, const Target& t);
// False when there is no such target.
bool remove_target(store::Company& c, const std::string& name);

MountMap mounts(store::Company& c);
// Maps \\SERVER\Share to a mount point (an absolute path), which a delivery finds mounted
// before it writes there; `local`: the folder the share exports on this very machine.
void put_mount(store::Company& c, const std::string& unc, const std::string& dir, bool local);
bool remove_mount(store::Company& c, const std::string& unc);

// The variables' values for this company: its name, its VAT number (else its enterprise
// number) and the setting accounting_file_id.
std::map<std::string, std::string> company_variables(store::Company& c);

}  // namespace invoicing::delivery
