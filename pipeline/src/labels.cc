#include "peerpulse/pipeline/labels.h"

namespace peerpulse {

std::string_view ExperiencerCode(Experiencer e) {
  switch (e) {
    case Experiencer::kSelf: return "self";
    case Experiencer::kFamily: return "family";
    case Experiencer::kOther: return "other";
  }
  return "self";
}

std::vector<CellKey> CellsFor(const Window& window, std::string_view community, const Labels& labels) {
  std::vector<CellKey> cells;
  if (labels.conditions.empty()) return cells;
  const std::string win = window.Name();
  const std::string exp(ExperiencerCode(labels.experiencer));
  const std::vector<std::string> unspecified{std::string(kUnspecifiedNeed)};
  const auto& needs = labels.needs.empty() ? unspecified : labels.needs;
  cells.reserve(labels.conditions.size() * needs.size());
  for (const auto& c : labels.conditions) {
    for (const auto& n : needs) {
      cells.push_back(CellKey{win, std::string(community), c, n, exp});
    }
  }
  return cells;
}

bool IsDimensionCode(std::string_view code) {
  if (code.empty() || code.size() > 64) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (i == 0 && !alnum) return false;
    if (!alnum && c != '_' && c != '.' && c != ':' && c != '/' && c != '#' && c != '-') return false;
  }
  return true;
}

}  // namespace peerpulse
