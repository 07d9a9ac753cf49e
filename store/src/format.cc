#include <algorithm>

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

std::string JsonString(const std::string& v) {
  std::string out = "\"";
  for (const char c : v) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
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
  const std::size_t last = r.columns.size() - 1;  // the "authors" count column
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
          out += (i ? ", " : "") + JsonString(r.columns[i]) + ": ";
          out += i == last ? r.rows[k][i] : JsonString(r.rows[k][i]);
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
          out += i == last ? pad + cells[i] : cells[i] + (i + 1 < cells.size() ? pad : "");
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
