// invoicing deliver: documents to the accounting folders (app/delivery/). The targets and UNC
// mount points are configured here; the run itself is delivery::run_delivery.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <iostream>

#include "cli.h"
#include "watch.h"
#include "delivery/deliver.h"
#include "delivery/support_bundle.h"
#include "delivery/targets.h"
#include "store/clock.h"

namespace invoicing::cli {

namespace {

const char* kUsage =
    "usage: invoicing deliver [--once | --watch [--interval SECONDS]] [--since YYYY-MM-DD] "
    "[--force ID]\n"
    "       invoicing deliver --export-log FILE.zip\n"
    "       invoicing deliver target add NAME --sales TEMPLATE --purchase TEMPLATE [--pdf]\n"
    "       invoicing deliver target list | target remove NAME\n"
    "       invoicing deliver mount add '\\\\SERVER\\Share' /mnt/DIR [--local] | mount list | "
    "mount remove '\\\\SERVER\\Share'\n"
    "templates use [enterprise_name], [enterprise_identifier], [accounting_file_id]";

int target_cmd(int argc, char** argv) {
  if (argc < 4) throw UsageError(kUsage);
  const std::string sub = argv[3];
  Args a = parse(argc, argv, 4, {"sales", "purchase"}, {"pdf"});
  if (sub == "add") {
    only_options(a, "deliver target add", {"sales", "purchase", "pdf"});
    if (a.positional.size() != 1) throw UsageError(kUsage);
    if (!a.options.count("sales") || !a.options.count("purchase"))
      throw UsageError(
          "deliver target add: --sales TEMPLATE and --purchase TEMPLATE are both required");
    auto c = open_company(a);
    delivery::put_target(*c, {a.positional[0], a.get("sales"), a.get("purchase"), a.has("pdf")});
    std::cout << fmt::format("target {}: sales to {}, purchases to {}{}\n", a.positional[0],
                             a.get("sales"), a.get("purchase"),
                             a.has("pdf") ? " (with the PDF beside each e-invoice)" : "");
    return 0;
  }
  if (sub == "list") {
    only_options(a, "deliver target list", {});
    if (!a.positional.empty()) throw UsageError(kUsage);
    auto c = open_company(a);
    const auto list = delivery::targets(*c);
    if (a.has("json")) {
      std::cout << "[";
      for (size_t i = 0; i < list.size(); ++i)
        std::cout << fmt::format("{}{{\"name\":{},\"sales\":{},\"purchase\":{},\"pdf\":{}}}",
                                 i ? "," : "", json_string(list[i].name),
                                 json_string(list[i].sales), json_string(list[i].purchase),
                                 list[i].with_pdf ? "true" : "false");
      std::cout << "]\n";
    } else {
      if (list.empty())
        std::cout
            << "no delivery target (invoicing deliver target add NAME --sales T --purchase T)\n";
      for (const auto& t : list)
        std::cout << fmt::format("{:<20} sales    {}\n{:<20} purchase {}{}\n", t.name, t.sales, "",
                                 t.purchase, t.with_pdf ? "  (PDF beside)" : "");
    }
    return 0;
  }
  if (sub == "remove") {
    only_options(a, "deliver target remove", {});
    if (a.positional.size() != 1) throw UsageError(kUsage);
    auto c = open_company(a);
    if (!delivery::remove_target(*c, a.positional[0]))
      throw store::UserError(fmt::format("there is no delivery target {}", a.positional[0]));
    std::cout << fmt::format("target {} removed (what it received stays recorded)\n",
                             a.positional[0]);
    return 0;
  }
  throw UsageError(kUsage);
}

int mount_cmd(int argc, char** argv) {
  if (argc < 4) throw UsageError(kUsage);
  const std::string sub = argv[3];
  Args a = parse(argc, argv, 4, {}, {"local"});
  if (sub != "add") only_options(a, "deliver mount " + sub, {});
  auto c = open_company(a);
  if (sub == "add" && a.positional.size() == 2) {
    delivery::put_mount(*c, a.positional[0], a.positional[1], a.has("local"));
    std::cout << fmt::format("{} is reached at {}{}\n", a.positional[0], a.positional[1],
                             a.has("local") ? " (a folder of this machine)"
                                            : " (checked to be mounted before each delivery)");
    return 0;
  }
  if (sub == "list" && a.positional.empty()) {
    for (const auto& [unc, m] : delivery::mounts(*c))
      std::cout << fmt::format("{}  {}{}\n", unc, m.dir.string(),
                               m.local ? "  (local folder)" : "");
    return 0;
  }
  if (sub == "remove" && a.positional.size() == 1) {
    if (!delivery::remove_mount(*c, a.positional[0]))
      throw store::UserError(fmt::format("{} has no mount point", a.positional[0]));
    std::cout << fmt::format("{} removed\n", a.positional[0]);
    return 0;
  }
  throw UsageError(kUsage);
}

}  // namespace

int cmd_deliver(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[2]) == "target") return target_cmd(argc, argv);
  if (argc >= 3 && std::string(argv[2]) == "mount") return mount_cmd(argc, argv);
  Args a = parse(argc, argv, 2, {"since", "force", "interval", "export-log"}, {"once", "watch"});
  if (!a.positional.empty())
    throw UsageError(std::string(unexpected(a.positional[0])) + "\n" + kUsage);
  if (a.options.count("export-log")) {
    only_options(a, "deliver --export-log", {"export-log"});
    const std::string zip = a.get("export-log");
    if (zip.empty()) throw UsageError("--export-log FILE.zip");
    auto c = open_company(a);
    const size_t n = delivery::export_support_bundle(*c, zip);
    std::cout << fmt::format("wrote {}: the delivery logs, configuration and record ({} files)\n",
                             zip, n);
    return 0;
  }
  if (a.has("once") && a.has("watch")) throw UsageError("--once and --watch exclude each other");
  const int interval = watch_interval(a, 5);
  if (a.has("watch") && a.options.count("force"))
    throw UsageError("--force delivers one document once: not with --watch");
  delivery::RunOptions o;
  o.since = date_option(a, "since");
  if (a.options.count("force")) o.force = id_of(a.get("force"), "a document id");
  const bool json = a.has("json");
  const auto say = [&](const std::string& line) {
    if (!json) std::cout << line << std::endl;
  };
  const auto pass = [&]() {
    // A seat only while a pass runs: the service does not hold one of the edition's seats.
    auto c = open_company(a);
    return delivery::run_delivery(*c, o, say);
  };
  if (!a.has("watch")) {
    const auto rep = pass();
    if (json) {
      std::cout << "{\"delivered\":[";
      for (size_t i = 0; i < rep.delivered.size(); ++i) {
        const auto& d = rep.delivered[i];
        std::cout << fmt::format(
            "{}{{\"id\":{},\"document\":{},\"target\":{},\"kind\":{},\"file\":{},\"sha256\":{}}}",
            i ? "," : "", d.doc_id, json_string(d.document), json_string(d.target),
            json_string(d.kind), json_string(d.file), json_string(d.sha256));
      }
      std::cout << "],\"failures\":[";
      for (size_t i = 0; i < rep.failures.size(); ++i)
        std::cout << (i ? "," : "") << json_string(rep.failures[i]);
      std::cout << fmt::format("],\"waiting\":{}}}\n", rep.waiting);
    } else {
      std::cout << fmt::format("{} file(s) delivered, {} failure(s), {} waiting\n",
                               rep.delivered.size(), rep.failures.size(), rep.waiting);
    }
    return rep.failures.empty() ? 0 : 1;
  }
  // --watch: a pass every few seconds (watch.h); a failing pass (target unreachable) is
  // retried on the next one, a refused configuration too. A target that could not be reached
  // is left alone for a growing wait (the interval doubled per failure, at most 5 minutes), so
  // a server that is off is not knocked on every few seconds; the other targets go on being
  // served at every pass.
  using Clock = std::chrono::steady_clock;
  struct Backoff {
    int failures = 0;
    Clock::time_point next_try;
  };
  std::map<std::string, Backoff> backoff;
  watch_every(interval, "deliver", [&] {
    const auto now = Clock::now();
    o.skip_targets.clear();
    for (const auto& [name, b] : backoff)
      if (b.failures && now < b.next_try) o.skip_targets.insert(name);
    const auto rep = pass();
    for (auto& [name, b] : backoff)
      if (!o.skip_targets.count(name) && !rep.unreachable.count(name)) b.failures = 0;
    for (const auto& name : rep.unreachable) {
      Backoff& b = backoff[name];
      ++b.failures;
      const int wait = std::min(300, interval << std::min(b.failures, 8));
      b.next_try = Clock::now() + std::chrono::seconds(wait);
      say(fmt::format("target {}: unreachable {} time(s) in a row, next try in {} s", name, b.failures, wait));
    }
  });
  return 0;
}

}  // namespace invoicing::cli
