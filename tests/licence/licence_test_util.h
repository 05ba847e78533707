// Licences for tests: signed with the test key, which only builds with INVOICING_TEST_LICENCES
// accept (its secret half is tests/licence/keys/test.secret). Tests that need an edition's
// features (stock, multi-user numbering, more seats) create their company with one:
//   store::InitOptions o;  o.licence = invoicing::test::test_licence(domain::Edition::full);
#pragma once

#include <filesystem>
#include <string>

#include "domain/date.h"
#include "domain/edition.h"
#include "licence/signing.h"

namespace invoicing::test {

struct TestLicence {
  domain::Edition edition = domain::Edition::full;
  std::string vat = "BE0431115213";
  std::string licensee = "Bakkerij Peeters";
  int seats = 0;  // 0: the edition's
  domain::Date updates_until{2099, 12, 31};
  domain::Date issued{2026, 12, 1};
};

std::string test_licence(const TestLicence& l);
inline std::string test_licence(domain::Edition e) { return test_licence(TestLicence{e}); }

const licence::SecretKey& test_secret_key();
std::filesystem::path test_secret_key_file();

}  // namespace invoicing::test
