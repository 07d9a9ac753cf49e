#include "peerpulse/classify/model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "peerpulse/pipeline/crypto.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse::classify {
namespace {

constexpr std::string_view kMagic = "peerpulse-model 1";

std::uint64_t SlotKey(std::uint64_t h) { return h == 0 ? 1 : h; }

std::size_t Capacity(std::size_t n) {
  std::size_t c = 16;
  while (c < n * 2) c <<= 1;
  return c;
}

void AppendFloat(std::string& out, float v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
  out.append(buf, r.ptr);
}

// Splits a line into words separated by single spaces (the format never has
// other spacing).
std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t pos = 0;
  while (pos <= line.size()) {
    const std::size_t sp = line.find(' ', pos);
    const std::size_t end = sp == std::string_view::npos ? line.size() : sp;
    if (end > pos) out.push_back(line.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

bool ParseFloat(std::string_view s, float& v) {
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(v);
}

}  // namespace

Model::Model(std::string taxonomy_name, std::string taxonomy_version, std::string options,
             std::vector<ModelLabel> labels, const std::vector<std::uint64_t>& features,
             const std::vector<float>& weights)
    : taxonomy_name_(std::move(taxonomy_name)),
      taxonomy_version_(std::move(taxonomy_version)),
      options_(std::move(options)),
      labels_(std::move(labels)) {
  keys_.assign(Capacity(features.size()), 0);
  rows_.assign(keys_.size() * labels_.size(), 0.0f);
  for (std::size_t i = 0; i < features.size(); ++i) Insert(features[i], &weights[i * labels_.size()]);
  content_hash_ = Sha256Hex(Serialize());
}

void Model::Insert(std::uint64_t hash, const float* w) {
  const std::uint64_t key = SlotKey(hash);
  const std::size_t mask = keys_.size() - 1;
  std::size_t i = static_cast<std::size_t>(key * 0x9E3779B97F4A7C15ull >> 20) & mask;
  while (keys_[i] != 0 && keys_[i] != key) i = (i + 1) & mask;
  if (keys_[i] == 0) ++features_;
  keys_[i] = key;
  std::copy(w, w + labels_.size(), rows_.begin() + static_cast<std::ptrdiff_t>(i * labels_.size()));
}

const float* Model::Weights(std::uint64_t hash) const {
  if (keys_.empty()) return nullptr;
  const std::uint64_t key = SlotKey(hash);
  const std::size_t mask = keys_.size() - 1;
  std::size_t i = static_cast<std::size_t>(key * 0x9E3779B97F4A7C15ull >> 20) & mask;
  while (keys_[i] != 0) {
    if (keys_[i] == key) return &rows_[i * labels_.size()];
    i = (i + 1) & mask;
  }
  return nullptr;
}

int Model::LabelIndex(std::string_view code) const {
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i].code == code) return static_cast<int>(i);
  }
  return -1;
}

std::string Model::Serialize() const {
  std::string out;
  out += kMagic;
  out += "\ntaxonomy " + taxonomy_name_ + " " + taxonomy_version_ + "\noptions " + options_ + "\n";
  for (const ModelLabel& l : labels_) {
    out += "label " + l.code + " ";
    AppendFloat(out, l.bias);
    out += ' ';
    AppendFloat(out, l.threshold);
    out += '\n';
  }
  // Features in hash order, so that equal models serialise equally.
  std::vector<std::size_t> slots;
  for (std::size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] != 0) slots.push_back(i);
  }
  std::sort(slots.begin(), slots.end(), [&](std::size_t a, std::size_t b) { return keys_[a] < keys_[b]; });
  char hex[17];
  for (const std::size_t s : slots) {
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(keys_[s]));
    out += "feature ";
    out += hex;
    for (std::size_t j = 0; j < labels_.size(); ++j) {
      out += ' ';
      AppendFloat(out, rows_[s * labels_.size() + j]);
    }
    out += '\n';
  }
  return out;
}

Result<Model> Model::Parse(std::string_view text, std::string_view path) {
  std::size_t line_no = 0;
  std::size_t pos = 0;
  const auto fail = [&](const std::string& m) {
    return Status::InvalidConfig(std::string(path) + ":" + std::to_string(line_no) + ": " + m);
  };
  std::string name;
  std::string version;
  std::string options;
  std::vector<ModelLabel> labels;
  std::set<std::string> label_codes;
  std::vector<std::uint64_t> features;
  std::set<std::uint64_t> feature_set;
  std::vector<float> weights;
  bool saw_taxonomy = false;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    const std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != kMagic) {
        return fail(line.starts_with("peerpulse-model ") ? "unsupported model version (this build reads version 1)"
                                                         : "not a peerpulse model file");
      }
      continue;
    }
    const auto w = Words(line);
    if (w.empty()) continue;
    if (w[0] == "taxonomy") {
      if (w.size() != 3) return fail("expected 'taxonomy NAME VERSION'");
      name = std::string(w[1]);
      version = std::string(w[2]);
      saw_taxonomy = true;
    } else if (w[0] == "options") {
      options = std::string(line.substr(std::min(line.size(), std::size_t{8})));
    } else if (w[0] == "label") {
      if (!features.empty()) return fail("label lines must come before feature lines");
      ModelLabel l;
      if (w.size() != 4 || !ParseFloat(w[2], l.bias) || !ParseFloat(w[3], l.threshold) || l.threshold < 0 ||
          l.threshold > 1) {
        return fail("expected 'label CODE BIAS THRESHOLD' with a threshold in [0, 1]");
      }
      l.code = std::string(w[1]);
      if (!label_codes.insert(l.code).second) return fail("duplicate label '" + l.code + "'");
      labels.push_back(std::move(l));
    } else if (w[0] == "feature") {
      if (labels.empty()) return fail("feature line before any label line");
      if (w.size() != labels.size() + 2) {
        return fail("feature line has " + std::to_string(w.size() - 2) + " weights, expected " +
                    std::to_string(labels.size()));
      }
      std::uint64_t h = 0;
      const auto r = std::from_chars(w[1].data(), w[1].data() + w[1].size(), h, 16);
      if (w[1].size() != 16 || r.ec != std::errc() || r.ptr != w[1].data() + w[1].size()) {
        return fail("feature hash must be 16 hex digits");
      }
      if (!feature_set.insert(h).second) return fail("duplicate feature " + std::string(w[1]));
      features.push_back(h);
      for (std::size_t j = 0; j < labels.size(); ++j) {
        float v = 0;
        if (!ParseFloat(w[j + 2], v)) return fail("weight " + std::to_string(j + 1) + " is not a finite number");
        weights.push_back(v);
      }
    } else {
      return fail("unknown line type '" + std::string(w[0].substr(0, 32)) + "'");
    }
  }
  if (line_no == 0) return Status::InvalidConfig(std::string(path) + ": empty model file");
  if (!saw_taxonomy) return fail("missing 'taxonomy' line");
  if (labels.empty()) return fail("no labels");
  Model m(std::move(name), std::move(version), std::move(options), std::move(labels), features, weights);
  m.content_hash_ = Sha256Hex(text);
  return m;
}

Status Model::SaveFile(const std::string& path) const { return WriteFileAtomically(path, Serialize()); }

Result<Model> Model::LoadFile(const std::string& path) {
  std::string text;
  if (const Status st = ReadWholeFile(path, text); !st.ok()) return Status::InvalidConfig(st.message());
  return Parse(text, path);
}

}  // namespace peerpulse::classify
