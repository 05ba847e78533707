// `invoicing ui`: the company opened as the command line opens it (one seat for this
// process), the server started on 127.0.0.1, its URL with this start's session token
// printed and, unless told not to, opened in the workstation's browser.
#pragma once

#include <filesystem>

#include "store/company.h"
#include "web/api.h"

namespace invoicing::web {

struct UiOptions {
  std::filesystem::path data;
  store::Identity who;
  int port = 0;  // 0: a free port
  bool open_browser = true;
  // What makes the data folder unsafe, run before the page is served and when the user asks
  // to check again (none: not checked).
  SafetyCheck safety;
  // This workstation's settings, read each time the settings page asks (none: not shown).
  LocalSettingsRead local_settings;
  LocalSettingsWrite change_local_setting;
};

// Serves until SIGINT/SIGTERM; returns the exit code. Throws what opening the company
// throws (store::UserError, xbase::Error) and std::runtime_error when it cannot listen.
int run_ui(const UiOptions& o);

}  // namespace invoicing::web
