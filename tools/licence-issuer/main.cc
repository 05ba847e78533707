// licence-issuer: the vendor's tool for invoicing licences. `keygen` makes an Ed25519 key pair
// (the public file goes into app/licence/keys/vendor/, the secret stays with the vendor),
// `issue` signs a licence with a secret key, `show` reads a licence and checks it against a
// public key. It uses app/licence (the format the program reads), nothing else of app/.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/cli/command_args.h"
#include "domain/vat_number.h"
#include "licence/licence.h"
#include "licence/signing.h"
#include "store/version.h"

namespace fs = std::filesystem;
using common::cli::Args;
using common::cli::UsageError;
using namespace invoicing;

namespace {

const char* kUsage = R"(usage: licence-issuer COMMAND [options]

  keygen --out NAME             writes NAME.secret (mode 0600: keep it with the vendor, never in
                                the repository) and NAME.pub (commit it to app/licence/keys/vendor/)
  issue --key NAME.secret --licensee NAME --vat VAT --edition free|basic|pro|full
        [--seats N] --updates-until YYYY-MM-DD [--issued YYYY-MM-DD] [--out FILE]
                                signs a licence (seats: the edition's when not given; issued:
                                today); written to FILE (never over an existing one) or stdout
  show FILE [--pub NAME.pub]    prints a licence's fields; with --pub, whether its signature
                                is that key's (exit 1 when not)
  --version                     the version of the invoicing it belongs to
exit codes: 0 done, 1 refused (the message says why), 2 usage or I/O error
)";

// A failure of the request itself (bad licence fields, a signature that does not match).
struct Refused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(fmt::format("cannot read {}: {}", path, std::strerror(errno)));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes a new file (never over an existing one): a temp file, then a hard link to the name,
// which fails when the name exists.
// POSIX calls, not the engine's FileSystem: a private key must be mode 0600 from the moment it
// exists, which FileSystem does not offer (this vendor tool runs on Linux only).
void write_new(const fs::path& path, const std::string& text, mode_t mode) {
  const fs::path tmp = fs::path(path).concat(fmt::format(".{}.tmp", getpid()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0)
    throw std::runtime_error(
        fmt::format("cannot write {}: {}", tmp.string(), std::strerror(errno)));
  bool ok = ::write(fd, text.data(), text.size()) == ssize_t(text.size()) && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  int err = ok && ::link(tmp.c_str(), path.c_str()) != 0 ? errno : 0;
  ::unlink(tmp.c_str());
  if (!ok) throw std::runtime_error(fmt::format("cannot write {}", tmp.string()));
  if (err == EEXIST)
    throw Refused(fmt::format("{} exists already; nothing was written", path.string()));
  if (err)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), std::strerror(err)));
}

domain::Date date_option(const Args& a, const std::string& name) {
  auto d = domain::parse_iso_date(a.get(name));
  if (!d)
    throw UsageError(fmt::format("--{} needs a date as YYYY-MM-DD, not \"{}\"", name, a.get(name)));
  return *d;
}

domain::Date today() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

int keygen(const Args& a) {
  const std::string out = a.get("out");
  if (out.empty() || !a.positional.empty())
    throw UsageError("usage: licence-issuer keygen --out NAME");
  auto k = licence::generate_key_pair();
  write_new(out + ".secret", licence::secret_key_text(k.secret_key), 0600);
  write_new(out + ".pub", licence::public_key_text(k.public_key), 0644);
  std::cout << fmt::format(
      "wrote {0}.secret (keep it safe) and {0}.pub (key {1}); the program accepts licences "
      "of this key once {0}.pub is in app/licence/keys/vendor/\n",
      out, k.public_key.id());
  return 0;
}

int issue(const Args& a) {
  for (const char* need : {"key", "licensee", "vat", "edition", "updates-until"})
    if (a.get(need).empty())
      throw UsageError(fmt::format("issue needs --{} (see licence-issuer --help)", need));
  if (!a.positional.empty()) throw UsageError("issue takes no positional arguments");
  const auto key = licence::parse_secret_key(read_all(a.get("key")));
  licence::Licence l;
  l.licensee = a.get("licensee");
  auto vat = domain::check_vat_number(a.get("vat"));
  if (!vat.valid) throw Refused(fmt::format("VAT number {}: {}", a.get("vat"), vat.reason));
  l.vat = vat.normalized;
  auto e = domain::edition_from_name(a.get("edition"));
  if (!e) throw UsageError("--edition is free, basic, pro or full");
  l.edition = *e;
  l.seats = a.get_int("seats", domain::seat_count(l.edition));
  l.updates_until = date_option(a, "updates-until");
  l.issued = a.options.count("issued") ? date_option(a, "issued") : today();
  std::string text;
  try {
    text = licence::issue_licence(l, key);
  } catch (const licence::LicenceError& err) {
    throw Refused(err.what());
  }
  if (a.options.count("out")) {
    write_new(a.get("out"), text, 0644);
    std::cerr << fmt::format("wrote {}: {} {} seat(s) for {} ({}), updates until {}\n",
                             a.get("out"), domain::edition_name(l.edition), l.seats, l.licensee,
                             l.vat, domain::to_iso(l.updates_until));
  } else {
    std::cout << text;
  }
  return 0;
}

int show(const Args& a) {
  if (a.positional.size() != 1)
    throw UsageError("usage: licence-issuer show FILE [--pub NAME.pub]");
  licence::SignedLicence s;
  try {
    s = licence::parse_licence(read_all(a.positional[0]));
  } catch (const licence::LicenceError& e) {
    throw Refused(fmt::format("{} is not a readable licence: {}", a.positional[0], e.what()));
  }
  const auto& l = s.licence;
  std::cout << fmt::format(
      "licensee: {}\nvat: {}\nedition: {}\nseats: {}\nupdates until: {}\nissued: {}\nkey: {}\n",
      l.licensee, l.vat, domain::edition_name(l.edition), l.seats, domain::to_iso(l.updates_until),
      domain::to_iso(l.issued), l.key_id);
  if (!a.options.count("pub")) return 0;
  const auto pub = licence::parse_public_key(read_all(a.get("pub")));
  if (pub.id() != l.key_id)
    throw Refused(
        fmt::format("signed with key {}, not with {} ({})", l.key_id, a.get("pub"), pub.id()));
  if (!licence::verify(s.body, s.signature, pub))
    throw Refused("the signature does not match the text: the file was changed");
  std::cout << "signature: good\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  const std::string cmd = argv[1];
  if (cmd == "--version") {
    std::cout << "licence-issuer (invoicing " << INVOICING_VERSION << ")\n";
    return 0;
  }
  try {
    if (cmd == "keygen") return keygen(common::cli::parse_args(argc, argv, 2, {"out"}, {}));
    if (cmd == "issue")
      return issue(common::cli::parse_args(
          argc, argv, 2,
          {"key", "licensee", "vat", "edition", "seats", "updates-until", "issued", "out"}, {}));
    if (cmd == "show") return show(common::cli::parse_args(argc, argv, 2, {"pub"}, {}));
    std::cerr << "licence-issuer: unknown command \"" << cmd << "\" (see licence-issuer --help)\n";
    return 2;
  } catch (const UsageError& e) {
    std::cerr << "licence-issuer " << cmd << ": " << e.what() << "\n";
    return 2;
  } catch (const Refused& e) {
    std::cerr << "licence-issuer " << cmd << ": " << e.what() << "\n";
    return 1;
  } catch (const licence::LicenceError& e) {
    std::cerr << "licence-issuer " << cmd << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "licence-issuer " << cmd << ": " << e.what() << "\n";
    return 2;
  }
}
