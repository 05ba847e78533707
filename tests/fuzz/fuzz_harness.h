// The bodies of the fuzz targets, shared by the libFuzzer executables (dbf_fuzz, memo_fuzz)
// and by the regression tests, which replay the inputs that once failed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

namespace xbase::fuzz {

// Work caps: no input may make one run slow (libFuzzer reports slow runs as timeouts).
constexpr uint32_t kMaxRecords = 10000;  // records read per table
constexpr uint32_t kMaxSteps = 500;      // navigation steps in one index order
constexpr uint64_t kMaxCells = 20000;    // field values decoded per table
// Mem fs cap: larger writes fail as "disk full". Inputs are at most 64 KB and the harnesses
// write at most a few hundred KB, so a write near the cap means the engine aimed far past the
// end of a file (trusting a corrupt offset): the write harnesses report that as a finding.
constexpr uint64_t kMaxFileSize = 16ull << 20;

// The input is the PROPERTY memo of a database container object. Parses it (the entries must
// encode back to bytes that parse to the same entries), then reads a DBC built in memory whose
// Table and Field records carry that memo, and opens a member table through its backlink.
void run_dbc_properties(const uint8_t* data, size_t size);

// The input is a whole DBF file. Opens it read-only through an in-memory file system and reads
// every record and every field tolerantly. Errors (xbase::Error) are expected and swallowed;
// anything else (crash, sanitizer report, other exception) is a finding.
void run_dbf(const uint8_t* data, size_t size);

// The input is a whole DBF file, opened read-write: appends records (blank and with a value of
// each field's type), updates, deletes and recalls, packs and zaps, reading everything back
// between the steps. Memo fields have no memo file here (their writes fail cleanly).
void run_dbf_write(const uint8_t* data, size_t size);

// Input layout:
//   byte 0   bits 0-1: memo flavour (0 VFP table + FPT with 4-byte pointers, 1 FoxPro 2 table +
//                      FPT with 10-byte pointers, 2 dBASE III + DBT, 3 dBASE IV + DBT)
//            bit 2:    after reading, also open read-write, rewrite memos, check they read back,
//                      then pack
//   byte 1   n = low 4 bits: number of explicit block pointers that follow
//   4*n      explicit block numbers (LE uint32), one record each
//   rest     the memo file's bytes
// Besides the explicit pointers, records point at the first 48 data blocks of the memo file.
void run_memo(const uint8_t* data, size_t size);

// Input layout:
//   byte 0   bit 0: table flavour (0 Visual FoxPro, 1 FoxPro 2; the fields of shared/fixtures)
//            bit 1: after reading, also open read-write: append, update, delete, reindex, pack
//            bit 2: raw mode: the rest is the whole .cdx file; otherwise the rest is XORed onto
//                   a CDX the engine built for the table (all zero bytes = that valid CDX), and
//                   a longer rest extends it
//   rest     CDX bytes as above
// The table (60 records) and its tags (those of shared/fixtures) are built by the engine once.
void run_cdx(const uint8_t* data, size_t size);
// The files run_cdx works on for an input: the table (.dbf) and the index (.cdx).
std::pair<std::string, std::string> cdx_files_for(const uint8_t* data, size_t size);

// Builds a memo_fuzz input (for seeds and tests).
std::string memo_input(int flavour, bool write_mode, const std::string& memo_bytes,
                       std::initializer_list<uint32_t> pointers = {});

}  // namespace xbase::fuzz
