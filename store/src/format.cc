#include <algorithm>
#include <cstdio>

#include "peerpulse/pipeline/json.h"
#include "peerpulse/pipeline/window.h"
#include "peerpulse/store/store.h"

namespace peerpulse::store {
namespace {

std::string CsvField(const std::string& v) {
  if (v.find_first_of(",\"\n\r") == std::string::npos) return v;
  std::string out = "\"";
  for (const char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}


}  // namespace

Result<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "json") return OutputFormat::kJson;
  return Status::InvalidArgument("unknown format '" + std::string(name) + "' (use table, csv or json)");
}

std::string FormatQueryResult(const QueryResult& r, OutputFormat format) {
  std::string out;
  // Numbers: the count columns after the dimensions.
  std::vector<bool> numeric(r.columns.size());
  for (std::size_t i = 0; i < r.columns.size(); ++i) {
    numeric[i] = r.columns[i] == "authors" || r.columns[i] == "cells" || r.columns[i] == "margin95";
  }
  switch (format) {
    case OutputFormat::kCsv:
      for (std::size_t i = 0; i < r.columns.size(); ++i) out += (i ? "," : "") + CsvField(r.columns[i]);
      out += '\n';
      for (const auto& row : r.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + CsvField(row[i]);
        out += '\n';
      }
      return out;
    case OutputFormat::kJson:
      out += "[";
      for (std::size_t k = 0; k < r.rows.size(); ++k) {
        out += k ? ",\n {" : "\n {";
        for (std::size_t i = 0; i < r.columns.size(); ++i) {
          out += (i ? ", " : "") + JsonQuote(r.columns[i]) + ": ";
          out += numeric[i] ? r.rows[k][i] : JsonQuote(r.rows[k][i]);
        }
        out += "}";
      }
      out += r.rows.empty() ? "]\n" : "\n]\n";
      return out;
    case OutputFormat::kTable: {
      std::vector<std::size_t> width(r.columns.size());
      for (std::size_t i = 0; i < r.columns.size(); ++i) width[i] = r.columns[i].size();
      for (const auto& row : r.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
      }
      const auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
          const std::string pad(width[i] - cells[i].size(), ' ');
          if (i) out += "  ";
          out += numeric[i] ? pad + cells[i] : cells[i] + (i + 1 < cells.size() ? pad : "");
        }
        out += '\n';
      };
      line(r.columns);
      std::vector<std::string> rule;
      for (const std::size_t w : width) rule.emplace_back(w, '-');
      line(rule);
      for (const auto& row : r.rows) line(row);
      out += "(" + std::to_string(r.rows.size()) + (r.rows.size() == 1 ? " row" : " rows") + ")\n";
      return out;
    }
  }
  return out;
}

}  // namespace peerpulse::store

namespace peerpulse::store {

std::string FormatRuns(const std::vector<RunRecord>& runs, OutputFormat format) {
  QueryResult r;
  r.columns = {"run",        "job",        "started",    "ended",      "outcome",    "fetched",       "deidentified",
               "dropped",    "classified", "contributed", "duplicates", "late",      "bad_records", "policy",
               "sources"};
  for (const auto& x : runs) {
    std::string sources;  // "name: fetched N, bad B, skipped S[, FAILED]; ..."
    for (const auto& s : x.sources) {
      if (!sources.empty()) sources += "; ";
      sources += s.source + ": fetched " + std::to_string(s.fetched) + ", bad " + std::to_string(s.record_errors) +
                 ", skipped " + std::to_string(s.skipped) + (s.failed ? ", FAILED" : "");
    }
    r.rows.push_back({std::to_string(x.run_id), x.job, FormatTimestamp(x.started_at), FormatTimestamp(x.ended_at),
                      x.outcome, std::to_string(x.fetched), std::to_string(x.deidentified), std::to_string(x.dropped),
                      std::to_string(x.classified), std::to_string(x.contributed), std::to_string(x.duplicates),
                      std::to_string(x.late), std::to_string(x.record_errors), x.policy_hash.substr(0, 12), sources});
  }
  return FormatQueryResult(r, format);
}

std::string FormatLedger(const std::vector<LedgerEntry>& entries, double epsilon_cap, double delta_cap,
                         OutputFormat format) {
  const auto eps = [](std::int64_t micros) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(micros) / 1e6);
    return std::string(buf);
  };
  const auto del = [](std::int64_t picos) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", static_cast<double>(picos) / 1e12);
    return std::string(buf);
  };
  QueryResult r;
  r.columns = {"release", "window", "table", "epsilon", "delta", "released", "withheld", "policy"};
  std::int64_t eps_total = 0;
  std::int64_t delta_total = 0;
  for (const auto& e : entries) {
    eps_total += e.epsilon_micros;
    delta_total += e.delta_picos;
    r.rows.push_back({std::to_string(e.release_id), e.window, e.table, eps(e.epsilon_micros), del(e.delta_picos),
                      std::to_string(e.released), std::to_string(e.withheld), e.policy_hash.substr(0, 12)});
  }
  if (format != OutputFormat::kTable) return FormatQueryResult(r, format);
  std::string out = FormatQueryResult(r, format);
  out += "spent: epsilon " + eps(eps_total) + ", delta " + del(delta_total);
  if (epsilon_cap >= 0) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " (caps: epsilon %.6f, delta %.3g)", epsilon_cap, delta_cap);
    out += buf;
  }
  out += "\n";
  return out;
}

}  // namespace peerpulse::store
