// invoicing ui: the web front end (app/web) on this workstation's data folder.
#include "cli.h"
#include "web/ui.h"

namespace invoicing::cli {

int cmd_ui(int argc, char** argv) {
  Args a = parse(argc, argv, 2, {"port"}, {"no-browser"});
  if (!a.positional.empty()) throw UsageError(unexpected(a.positional[0]) + "\nusage: invoicing ui [--data DIR] [--port N] [--no-browser]");
  only_options(a, "ui", {"port", "no-browser"});
  web::UiOptions o;
  o.data = data_dir(a);
  o.who = identity(a);
  o.port = a.get_int("port", 0);
  if (o.port < 0 || o.port > 65535) throw UsageError("--port: a port number 1..65535 (0: any free port)");
  o.open_browser = !a.has("no-browser");
  return web::run_ui(o);
}

}  // namespace invoicing::cli
