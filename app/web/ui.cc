#include "web/ui.h"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <vector>

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

// Store access from the server's threads. A store::Company is used by one thread at a time.
// Changes, and what needs this process's seat (the session, who is editing what, the safety
// check, the settings), go to the company the seat was taken with, one at a time, as the
// command line makes them. Reads go to one of a few more handles on the same data, opened
// read-only and without a seat (still one seat per workstation; a read that would write is
// refused, not done): so a change that waits (a finalization waiting for another
// workstation's numbering) or a long read (a search through 10,000 customers) does not hold
// up the rest. Handles rather than a lock around one company: its storage (open tables,
// cursors, a PostgreSQL connection) is not made for two threads at once.
class StoreAccess {
 public:
  StoreAccess(Api& main, int seat, std::function<std::unique_ptr<store::Company>()> open_reader,
              const std::string& csrf, size_t readers)
      : main_(main), seat_(seat), open_reader_(std::move(open_reader)), csrf_(csrf), max_readers_(readers) {}

  ApiResponse handle(const ApiRequest& r) {
    if (!reads_only(r) || max_readers_ == 0) {
      std::lock_guard<std::mutex> lock(main_mutex_);
      return main_.handle(r);
    }
    Reader* reader = borrow();
    if (!reader) {  // no second handle could be opened: the seat's company answers
      std::lock_guard<std::mutex> lock(main_mutex_);
      return main_.handle(r);
    }
    struct Back {
      StoreAccess& a;
      Reader* r;
      ~Back() { a.give_back(r); }
    } back{*this, reader};
    return reader->api->handle(r);
  }

 private:
  struct Reader {
    std::unique_ptr<store::Company> company;
    std::unique_ptr<Api> api;
    bool busy = false;
  };

  // A GET of anything but what the seat's company answers.
  static bool reads_only(const ApiRequest& r) {
    if (r.method != "GET") return false;
    for (const char* own : {"/api/session", "/api/safety", "/api/settings"})
      if (r.path.rfind(own, 0) == 0) return false;
    return true;
  }

  Reader* borrow() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      for (auto& r : readers_)
        if (!r->busy) {
          r->busy = true;
          return r.get();
        }
      if (readers_.size() < max_readers_) break;
      freed_.wait(lock);
    }
    // A new handle, opened outside the lock (opening reads the folder).
    readers_.push_back(std::make_unique<Reader>());
    Reader* r = readers_.back().get();
    r->busy = true;
    lock.unlock();
    try {
      r->company = open_reader_();
      r->api = std::make_unique<Api>(*r->company, csrf_);
      r->api->set_own_seat(seat_);
    } catch (const std::exception&) {
      std::lock_guard<std::mutex> again(mutex_);
      readers_.erase(std::find_if(readers_.begin(), readers_.end(), [&](const auto& x) { return x.get() == r; }));
      freed_.notify_one();
      return nullptr;
    }
    return r;
  }

  void give_back(Reader* r) {
    std::lock_guard<std::mutex> lock(mutex_);
    r->busy = false;
    freed_.notify_one();
  }

  Api& main_;
  int seat_;
  std::mutex main_mutex_;
  std::function<std::unique_ptr<store::Company>()> open_reader_;
  std::string csrf_;
  size_t max_readers_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Reader>> readers_;
};

}  // namespace

int run_ui(const UiOptions& o) {
  store::OpenOptions open;
  open.who = o.who;
  open.take_seat = true;
  // A postgresql:// target is not a path: made absolute it became a folder that does not exist.
  const auto dir = store::is_database(o.data) ? o.data : std::filesystem::absolute(o.data).lexically_normal();
  auto company = store::Company::open(dir, open);
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
              company->setting("company").c_str(), company->storage().describe().c_str(), company->seat(), url.c_str());
  std::fflush(stdout);
  if (o.open_browser && !open_in_browser(url))
    std::fprintf(stderr, "invoicing ui: no browser could be opened; open the URL above yourself\n");

  store::OpenOptions reader;
  reader.who = o.who;
  reader.read_only = true;
  reader.take_seat = false;
  StoreAccess access(api, company->seat(), [dir, reader] { return store::Company::open(dir, reader); }, secrets.csrf,
                     Limits{}.threads - 1);
  server.run(secrets, [&access](const ApiRequest& r) { return access.handle(r); });
  return 0;
}

}  // namespace invoicing::web
