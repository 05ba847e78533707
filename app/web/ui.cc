#include "web/ui.h"

#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>

#include <fmt/format.h>

#include "web/api.h"
#include "web/request_guard.h"
#include "web/server.h"

extern char** environ;

namespace invoicing::web {

namespace {

// The desktop's browser on the URL (xdg-open); false when there is none. The URL is printed
// either way.
bool open_in_browser(const std::string& url) {
  const char* argv[] = {"xdg-open", url.c_str(), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xdg-open", nullptr, nullptr, const_cast<char* const*>(argv), environ) != 0) return false;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace

int run_ui(const UiOptions& o) {
  store::OpenOptions open;
  open.who = o.who;
  open.take_seat = true;
  auto company = store::Company::open(std::filesystem::absolute(o.data).lexically_normal(), open);
  if (company->licence().needs_note())
    std::fprintf(stderr, "invoicing ui: licence: %s\n", company->licence().message.c_str());

  Server server(o.port, Limits{});
  Secrets secrets;
  secrets.port = server.port();
  secrets.token = random_secret();
  secrets.csrf = random_secret();
  Api api(*company, secrets.csrf, o.safety);
  api.set_local_settings(o.local_settings, o.change_local_setting);
  for (const auto& f : api.safety())
      std::fprintf(stderr, "invoicing ui: the data folder is not safe to work in: %s (%s)\n", f.message.c_str(),
                   f.fix.c_str());

  const std::string url = fmt::format("http://127.0.0.1:{}/?token={}", secrets.port, secrets.token);
  std::printf("invoicing ui: %s on %s (seat %d); open %s\n(Ctrl+C stops the server and frees the seat)\n",
              company->setting("company").c_str(), company->dir().string().c_str(), company->seat(), url.c_str());
  std::fflush(stdout);
  if (o.open_browser && !open_in_browser(url))
    std::fprintf(stderr, "invoicing ui: no browser could be opened; open the URL above yourself\n");

  server.run(secrets, [&api](const ApiRequest& r) { return api.handle(r); });
  return 0;
}

}  // namespace invoicing::web
