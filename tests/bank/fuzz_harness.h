// What the bank statement fuzz targets do with an input: parse it, and when that succeeds,
// check what came out (a parser either refuses a file or returns a statement that holds).
#pragma once

#include <cstddef>
#include <cstdint>

namespace invoicing::bank::fuzz {

// Return 0; abort (so libFuzzer reports it) when a parser accepted a statement that breaks
// its own promises. StatementError is the expected refusal and is swallowed.
int coda_one_input(const uint8_t* data, size_t size);
int camt053_one_input(const uint8_t* data, size_t size);

}  // namespace invoicing::bank::fuzz
