// `xbase doctor DIR --json` run as the program installed beside invoicing (the app never
// includes tools/), its report read with nlohmann-json: `invoicing setup` judges a data folder
// by it, and `invoicing ui` shows what makes the folder unsafe before anyone works in it.
#pragma once

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace invoicing::cli {

// The xbase program: $INVOICING_XBASE, else beside this program, else on the PATH; throws
// store::UserError naming what to do when there is none.
std::string xbase_program();

struct Finding {
  std::string group, severity, message, fix;
};

struct DoctorReport {
  std::vector<Finding> findings;
  int errors = 0, warnings = 0;
  std::string fs_kind;
};

// The lock and coherence tests, mount options, sync-client markers, conflict copies and the
// Samba share's settings (`smb_conf` "": none given). Says on `say` what it checks (setup:
// stdout; `invoicing ui` stderr, so that the URL is the first line a script reads on stdout);
// the doctor's progress goes to stderr.
DoctorReport run_doctor(const std::filesystem::path& dir, const std::string& smb_conf, std::ostream& say = std::cout);

}  // namespace invoicing::cli
