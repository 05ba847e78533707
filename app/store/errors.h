// What the store throws. Every message is written for the person at the workstation: it says
// what was refused and why, names documents by type, year and number, and people by user and
// workstation. Anything else that escapes (std::exception) is a program or I/O failure.
#pragma once

#include <stdexcept>
#include <string>

namespace invoicing::store {

// Something the user asked for that cannot be done; the message says why (exit code 1).
// Nothing was changed.
struct UserError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A record another workstation holds (a document being edited, the numbering of a series)
// stayed locked longer than the wait. Nothing was changed: try again, or give up.
struct Busy : UserError {
  using UserError::UserError;
};

// The numbering of a series was held longer than `numbering_wait`; the message names who.
struct NumberingBusy : Busy {
  using Busy::Busy;
};

// What was named (a document id, a customer, supplier or article code, a payment) does not
// exist (the web API answers 404).
struct NotFound : UserError {
  using UserError::UserError;
};

// An action the company's edition does not offer; the message names the edition that does
// ("multi-user numbering needs the Pro edition or higher ..."). Nothing was changed.
struct NeedsEdition : UserError {
  using UserError::UserError;
};

// The storage cannot take the change (disk full, no write permission, connection lost); the
// action was rolled back and nothing was changed.
struct StorageUnavailable : UserError {
  using UserError::UserError;
};

}  // namespace invoicing::store
