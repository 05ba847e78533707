// Database targets in messages and in a workstation's settings: never with the password.
#include <catch2/catch.hpp>

#include "store/postgres/pg_connection.h"

using invoicing::store::postgres::display_target;

TEST_CASE("a database target is shown without its password, in the URL or as a parameter", "[app]") {
  CHECK(display_target("postgresql://anna:s3cret@db.example/acme") == "postgresql://anna@db.example/acme");
  CHECK(display_target("postgres://anna:s3cret@db:5433/acme?sslmode=require") ==
        "postgres://anna@db:5433/acme?sslmode=require");
  CHECK(display_target("postgresql://anna@db/acme?password=s3cret&sslmode=verify-full") ==
        "postgresql://anna@db/acme?sslmode=verify-full");
  CHECK(display_target("postgresql://db/acme?sslmode=require&password=s3cret") == "postgresql://db/acme?sslmode=require");
  CHECK(display_target("postgresql://db/acme?password=s3cret") == "postgresql://db/acme");
  // Nothing to hide: unchanged (a colon of a port, an @ in the path are not a password).
  CHECK(display_target("postgresql://anna@db:5432/acme") == "postgresql://anna@db:5432/acme");
  CHECK(display_target("postgresql://db:5432/a@b") == "postgresql://db:5432/a@b");
  CHECK(display_target("postgresql:///acme?host=/run/postgresql") == "postgresql:///acme?host=/run/postgresql");
}
