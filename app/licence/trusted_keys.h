// The public keys this program accepts licences from, embedded at build time
// (app/licence/CMakeLists.txt): the vendor's keys (keys/vendor/*.pub; more than one while a key
// is being replaced) and, only in builds with INVOICING_TEST_LICENCES=ON, the test key
// (keys/test.pub) whose secret half is in tests/licence/keys/ for the tests to issue licences.
#pragma once

#include <string>
#include <vector>

#include "licence/signing.h"

namespace invoicing::licence {

struct TrustedKey {
  std::string name;  // the key file's name without .pub ("vendor-2026", "test")
  PublicKey key;
};

const std::vector<TrustedKey>& trusted_keys();
// Whether this build accepts licences signed with the test key (never in packages).
bool accepts_test_licences();

}  // namespace invoicing::licence
