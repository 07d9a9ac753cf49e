// Labels and cells: what the classifier says of a post and where it counts.
#ifndef PEERPULSE_PIPELINE_LABELS_H_
#define PEERPULSE_PIPELINE_LABELS_H_

#include <string>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/window.h"

namespace peerpulse {

enum class Experiencer { kSelf, kFamily, kOther };

// "self", "family", "other".
std::string_view ExperiencerCode(Experiencer e);

// Need code used when a post names a condition but no need.
inline constexpr std::string_view kUnspecifiedNeed = "unspecified";

// Taxonomy codes for one post. Conditions and needs are sorted and unique.
struct Labels {
  std::vector<std::string> conditions;
  std::vector<std::string> needs;
  Experiencer experiencer = Experiencer::kSelf;
};

// One aggregation cell: window x community x condition x need x experiencer.
// Every field is a dimension code, never free text.
struct CellKey {
  std::string window;       // "2026-W03"
  std::string community;
  std::string condition;
  std::string need;
  std::string experiencer;  // ExperiencerCode()

  friend bool operator==(const CellKey&, const CellKey&) = default;
  friend auto operator<=>(const CellKey&, const CellKey&) = default;
};

// The cells a post with `labels` contributes to: one per (condition, need)
// pair, with kUnspecifiedNeed when there is no need. Empty when there is no
// condition.
std::vector<CellKey> CellsFor(const Window& window, std::string_view community, const Labels& labels);

// True when `code` is a valid dimension code: 1..64 bytes of [a-z0-9_.:/#-],
// starting with a letter or digit. Community names from sources are checked
// with it so that no free text can enter the store as a dimension.
bool IsDimensionCode(std::string_view code);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_LABELS_H_
