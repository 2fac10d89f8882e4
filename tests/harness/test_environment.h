// Where the test servers are. tests/run starts PostgreSQL and Redis on
// loopback and exports their addresses; a test binary run by hand needs the
// same variables (tests/run --shell prints them).
#ifndef AGORA_TESTS_HARNESS_TEST_ENVIRONMENT_H_
#define AGORA_TESTS_HARNESS_TEST_ENVIRONMENT_H_

#include <string>

namespace agora::testing {

// AGORA_TEST_PG_URL: a superuser URL of the test PostgreSQL server, database
// "postgres", e.g. postgresql://agora@127.0.0.1:5433/postgres.
std::string PostgresAdminUrl();

// The same server, another database.
std::string PostgresUrlFor(const std::string& database);

// AGORA_TEST_REDIS_ADDR: host:port of the test Redis server.
std::string RedisAddress();

// A random lower-case hex string of `length` characters, for unique names.
std::string RandomName(int length = 12);

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_TEST_ENVIRONMENT_H_
