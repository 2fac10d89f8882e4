// libpqxx reports failures as exceptions; Agora's layers speak absl::Status.
// The repository layer catches and converts here, in one table.
#ifndef AGORA_LIBS_PG_ERRORS_H_
#define AGORA_LIBS_PG_ERRORS_H_

#include <exception>

#include "absl/status/status.h"

namespace agora::pg {

// The status for a libpqxx (or other) exception:
//   unique_violation                        -> ALREADY_EXISTS
//   foreign_key / restrict violation        -> FAILED_PRECONDITION
//   check / not_null violation, data error  -> INVALID_ARGUMENT
//   serialization_failure, deadlock         -> ABORTED (retry the transaction)
//   broken_connection, in_doubt, completion
//     unknown, too many connections         -> UNAVAILABLE
//   query_canceled (statement_timeout)      -> DEADLINE_EXCEEDED
//   insufficient resources                  -> RESOURCE_EXHAUSTED
//   anything else                           -> INTERNAL
// The message keeps the first line of the server's error (constraint name,
// never the DETAIL line, which may hold the row's values).
absl::Status StatusFromException(const std::exception& error);

// True for the failures after which the whole transaction may be run again:
// nothing was committed and a new attempt can succeed.
bool IsRetryable(const std::exception& error);

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_ERRORS_H_
