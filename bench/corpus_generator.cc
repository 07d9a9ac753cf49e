#include "corpus_generator.h"

#include <array>
#include <sstream>
#include <string_view>
#include <vector>

#include "peerpulse/pipeline/window.h"

namespace peerpulse::bench {
namespace {

// splitmix64: tiny, fast, and identical everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(Next() % n); }
  // Integer per-mille chance, to stay free of floating-point differences.
  bool Chance(int per_mille) { return static_cast<int>(Next() % 1000) < per_mille; }
  template <typename T, std::size_t N>
  const T& Pick(const std::array<T, N>& a) { return a[Below(N)]; }

 private:
  std::uint64_t s_;
};

struct Weighted {
  std::string_view code;
  int weight;
};

struct Community {
  std::string_view name;
  std::vector<Weighted> conditions;
  std::vector<Weighted> needs;
  int family_per_mille;  // share of authors writing about a family member
};

const std::vector<Community>& Communities() {
  // Weights are chosen so that the 2,000-post demo has cells both above and
  // below the default policy's noisy threshold (about 39 distinct authors).
  static const std::vector<Community> kCommunities = {
      {"diabetes-forum",
       {{"diabetes", 90}, {"cardiovascular", 10}},
       {{"information", 40}, {"practical_advice", 30}, {"emotional_support", 20}, {"financial", 10}},
       100},
      {"chronic-pain-sub",
       {{"chronic_pain", 75}, {"autoimmune", 20}, {"long_covid", 5}},
       {{"emotional_support", 40}, {"treatment_experience", 30}, {"access_to_care", 20}, {"loneliness", 10}},
       50},
      {"mental-health-forum",
       {{"depression", 50}, {"anxiety", 45}, {"bipolar", 5}},
       {{"emotional_support", 50}, {"loneliness", 25}, {"access_to_care", 15}, {"crisis", 10}},
       50},
      {"caregivers-forum",
       {{"dementia", 80}, {"cancer", 20}},
       {{"caregiver", 60}, {"emotional_support", 25}, {"financial", 15}},
       900},
  };
  return kCommunities;
}

std::string_view PickWeighted(Rng& rng, const std::vector<Weighted>& items) {
  int total = 0;
  for (const auto& w : items) total += w.weight;
  int r = static_cast<int>(rng.Below(static_cast<std::size_t>(total)));
  for (const auto& w : items) {
    if (r < w.weight) return w.code;
    r -= w.weight;
  }
  return items.back().code;
}

// Lay phrases per condition; "{}" marks where the condition phrase goes in
// the sentence templates below.
std::vector<std::string_view> ConditionPhrases(std::string_view code) {
  if (code == "diabetes") return {"type 2 diabetes", "T1D", "diabetes", "high blood sugar", "my A1C"};
  if (code == "cardiovascular") return {"afib", "heart failure", "high blood pressure", "a stent after a heart attack"};
  if (code == "chronic_pain") return {"fibromyalgia", "chronic pain", "sciatica", "migraines", "nerve pain"};
  if (code == "autoimmune") return {"lupus", "rheumatoid arthritis", "Crohn's", "psoriasis"};
  if (code == "long_covid") return {"long covid", "brain fog since covid", "long hauler symptoms"};
  if (code == "depression") return {"depression", "major depressive disorder", "depressive episodes"};
  if (code == "anxiety") return {"anxiety", "panic attacks", "health anxiety"};
  if (code == "bipolar") return {"bipolar", "a manic episode", "hypomania"};
  if (code == "dementia") return {"dementia", "Alzheimer's", "memory loss and sundowning"};
  if (code == "cancer") return {"breast cancer", "lymphoma", "stage 4 cancer", "chemo"};
  return {"a chronic illness"};
}

std::vector<std::string_view> NeedPhrases(std::string_view code) {
  if (code == "emotional_support") return {"Honestly I'm scared and overwhelmed.", "I just need to vent tonight.",
                                           "Some days I can't cope.", "Feeling hopeless this week."};
  if (code == "information") return {"Does anyone know what these results mean?", "Is this normal?",
                                     "Can someone explain what causes this?"};
  if (code == "practical_advice") return {"Any tips for the mornings?", "What helps you on bad days?",
                                          "Looking for advice on a routine that works."};
  if (code == "treatment_experience") return {"Has anyone tried the new medication?", "I switched to a new drug last month.",
                                              "Wanted to share my experience with the infusions."};
  if (code == "access_to_care") return {"The waiting list for a specialist is eight months.",
                                        "I keep getting dismissed at appointments.", "Still waiting on a referral."};
  if (code == "financial") return {"I can't afford the copay anymore.", "Insurance denied it again.",
                                   "The out of pocket cost is crushing us."};
  if (code == "loneliness") return {"Nobody understands what this is like.", "I feel so isolated lately.",
                                    "It gets lonely."};
  if (code == "crisis") return {"I have been having suicidal thoughts and called the crisis line.",
                                "Some nights I want to die and I'm frightened of that."};
  if (code == "caregiver") return {"Caring for them full time is wearing me down.",
                                   "Taking care of everything alone, I need respite.",
                                   "Looking after them while working is hard."};
  return {"Thanks for reading."};
}

constexpr std::array<std::string_view, 6> kSelfTemplates{
    "I was diagnosed with {} last year.", "Living with {} for a while now.", "My {} has been bad lately.",
    "Another rough week with {}.", "Still figuring out {}.", "Dealing with {} again."};
constexpr std::array<std::string_view, 5> kFamilyTemplates{
    "My mom has {} and it is getting worse.", "My husband was diagnosed with {} in the autumn.",
    "My dad has {} now.", "My wife lives with {}.", "My grandmother has {} and lives with us."};
constexpr std::array<std::string_view, 5> kOpenings{"", "Hi all, ", "Hello everyone. ", "Long time lurker here. ",
                                                    "Quick question. "};
constexpr std::array<std::string_view, 4> kClosings{"", " Thanks for reading.", " Any reply helps.",
                                                    " Sorry for the long post."};
constexpr std::array<std::string_view, 8> kHandleWords{"sunny", "quiet", "brave", "tired", "river", "maple", "owl",
                                                       "comet"};

std::string Handle(std::string_view community, int author) {
  std::string h(kHandleWords[static_cast<std::size_t>(author) % kHandleWords.size()]);
  h += '_';
  h += kHandleWords[static_cast<std::size_t>(author / 8) % kHandleWords.size()];
  h += '_';
  h += std::to_string(author);
  h += '_';
  h += community.substr(0, community.find('-'));
  return h;
}

std::string Identifier(Rng& rng, const std::string& handle) {
  switch (rng.Below(5)) {
    case 0: return "You can email me at " + handle + "@example.com.";
    case 1: return "My blog is https://blog.example.org/" + handle + " if it helps.";
    case 2: return "DM me, I'm u/" + handle + " on the other sub.";
    case 3: return "I'm also @" + handle + "@social.example.net";
    default: {
      const std::size_t n = 100 + rng.Below(100);  // 555-0100..0199: reserved for fiction
      return "Text me at (555) 555-0" + std::to_string(n) + " any time.";
    }
  }
}

std::string Fill(std::string_view tmpl, std::string_view value) {
  std::string out(tmpl);
  const auto pos = out.find("{}");
  out.replace(pos, 2, value);
  return out;
}

void JsonString(std::ostream& out, std::string_view s) {
  out << '"';
  for (const char c : s) {
    if (c == '"' || c == '\\') out << '\\';
    out << c;
  }
  out << '"';
}

}  // namespace

bool GenerateCorpus(const CorpusOptions& options, std::ostream& out) {
  auto start = ParseTimestamp(options.start_date);
  if (!start.ok() || options.weeks < 1 || options.authors_per_community < 1) return false;
  Rng rng(options.seed);
  const auto& communities = Communities();
  struct Author {
    std::string_view condition;
    bool family;
  };
  std::vector<std::vector<Author>> authors(communities.size());
  for (std::size_t c = 0; c < communities.size(); ++c) {
    for (int a = 0; a < options.authors_per_community; ++a) {
      authors[c].push_back(Author{PickWeighted(rng, communities[c].conditions),
                                  rng.Chance(communities[c].family_per_mille)});
    }
  }
  const int id_rate = static_cast<int>(options.identifier_rate * 1000.0 + 0.5);
  const auto span = static_cast<std::size_t>(options.weeks) * 7u * 86400u;
  for (std::uint64_t i = 0; i < options.posts; ++i) {
    const std::size_t c = rng.Below(communities.size());
    const Community& com = communities[c];
    // Skewed activity: half the posts come from the first quarter of authors.
    const auto n_auth = static_cast<std::size_t>(options.authors_per_community);
    const std::size_t a = rng.Chance(500) ? rng.Below((n_auth + 3) / 4) : rng.Below(n_auth);
    const Author& au = authors[c][a];
    const auto phrases = ConditionPhrases(au.condition);
    const std::string condition_sentence =
        Fill(au.family ? rng.Pick(kFamilyTemplates) : rng.Pick(kSelfTemplates), phrases[rng.Below(phrases.size())]);
    const std::string_view need = au.family && rng.Chance(500) ? std::string_view("caregiver")
                                                                : PickWeighted(rng, com.needs);
    const auto need_phrases = NeedPhrases(need);
    std::string text(rng.Pick(kOpenings));
    text += condition_sentence;
    text += ' ';
    text += need_phrases[rng.Below(need_phrases.size())];
    const std::string handle = Handle(com.name, static_cast<int>(a));
    if (rng.Chance(id_rate)) {
      text += ' ';
      text += Identifier(rng, handle);
    }
    text += rng.Pick(kClosings);
    const std::int64_t t = *start + static_cast<std::int64_t>(rng.Below(span));

    out << "{\"id\":\"demo-" << i << "\",\"author\":";
    JsonString(out, handle);
    out << ",\"community\":\"" << com.name << "\",\"created_at\":" << t << ",\"lang\":\"en\",\"text\":";
    JsonString(out, text);
    out << ",\"url\":\"https://forum.example.org/t/demo-" << i << "\"}\n";
  }
  return true;
}

std::vector<std::string> GenerateTexts(const CorpusOptions& options) {
  std::ostringstream ss;
  GenerateCorpus(options, ss);
  // The generator escapes only '"' and '\\' inside strings, so this scan is exact for its output.
  std::vector<std::string> texts;
  std::istringstream in(ss.str());
  std::string line;
  while (std::getline(in, line)) {
    const auto k = line.find("\"text\":\"");
    std::string t;
    for (std::size_t i = k + 8; i < line.size() && line[i] != '"'; ++i) {
      if (line[i] == '\\') ++i;
      t.push_back(line[i]);
    }
    texts.push_back(std::move(t));
  }
  return texts;
}

}  // namespace peerpulse::bench
