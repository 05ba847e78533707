// The invoicing tables keep their indexes off nullable fields (issue 29): the engine keys a
// nullable field with Visual FoxPro's null marker byte (key length + 1), which Harbour refuses
// ("data width error") and keys differently, so a tag on one would shut other xBase programs
// out of the table. Read-only: the dictionary as the program declares it.
#include <catch2/catch.hpp>

#include "store/dictionary.h"

using namespace invoicing;

TEST_CASE("no index of the invoicing dictionary is on a nullable field", "[app]") {
  size_t parts = 0;
  for (const auto& t : store::dictionary())
    for (const auto& ix : t.indexes)
      for (const auto& part : ix.parts) {
        const xbase::Field* f = store::field_def(t.id, part.field);
        INFO(t.name << " index " << ix.name << " on " << part.field);
        REQUIRE(f != nullptr);
        CHECK_FALSE(f->nullable);
        ++parts;
      }
  CHECK(parts > 10);  // the dictionary was read
}
