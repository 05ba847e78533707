#include "licence_test_util.h"

#include "licence/licence.h"
#include "test_util.h"

namespace invoicing::test {

std::filesystem::path test_secret_key_file() { return INVOICING_TEST_SECRET_KEY; }

const licence::SecretKey& test_secret_key() {
  static const licence::SecretKey key =
      licence::parse_secret_key(xbase::test::read_file(test_secret_key_file()));
  return key;
}

std::string test_licence(const TestLicence& t) {
  licence::Licence l;
  l.licensee = t.licensee;
  l.vat = t.vat;
  l.edition = t.edition;
  l.seats = t.seats ? t.seats : domain::seat_count(t.edition);
  l.updates_until = t.updates_until;
  l.issued = t.issued;
  return licence::issue_licence(l, test_secret_key());
}

}  // namespace invoicing::test
