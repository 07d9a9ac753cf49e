// Writing JSON strings (for the JSON outputs of query, ledger and deid).
#ifndef PEERPULSE_PIPELINE_JSON_H_
#define PEERPULSE_PIPELINE_JSON_H_

#include <string>
#include <string_view>

namespace peerpulse {

// `s` as a JSON string literal, quotes included: '"' and '\\' escaped,
// control characters as \n, \r, \t or \u00XX. Bytes >= 0x80 pass through
// (callers give valid UTF-8). Thread-safe.
std::string JsonQuote(std::string_view s);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_JSON_H_
