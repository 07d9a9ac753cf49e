#include "credentials.h"

#include <sys/stat.h>

#include <cstdlib>

#include "peerpulse/pipeline/raw_post.h"
#include "peerpulse/pipeline/toml_reader.h"

namespace peerpulse {

Status RedditCredentials(const SourceSpec& spec, std::string& id, std::string& secret) {
  if (!spec.secrets_file.empty()) {
    struct stat sb {};
    if (::stat(spec.secrets_file.c_str(), &sb) != 0) return Status::NotFound(spec.secrets_file + ": not found");
    if ((sb.st_mode & 077) != 0) {
      return Status::InvalidConfig(spec.secrets_file + ": readable by others; chmod 600 it");
    }
    std::string text;
    PEERPULSE_RETURN_IF_ERROR(ReadWholeFile(spec.secrets_file, text));
    auto root = ParseToml(text, spec.secrets_file);
    WipeString(text);
    if (!root.ok()) {
      // The parser's description can quote bytes of the file, which holds
      // secrets: keep only where ("PATH:LINE:COLUMN").
      const std::string& m = root.status().message();
      std::size_t cut = spec.secrets_file.size();
      for (int colons = 0; cut < m.size() && colons < 3; ++cut) colons += m[cut] == ':' ? 1 : 0;
      return Status::InvalidConfig(m.substr(0, cut > 0 ? cut - 1 : 0) +
                                   ": not valid TOML (details withheld: the file holds secrets)");
    }
    const toml::table* reddit = nullptr;
    TomlReader top(*root, spec.secrets_file);
    top.Table("reddit", reddit, true);
    PEERPULSE_RETURN_IF_ERROR(top.status());
    TomlReader r(*reddit, spec.secrets_file, "[reddit]");
    r.String("client_id", id, true);
    r.String("client_secret", secret, true);
    return r.status();
  }
  const char* env_id = std::getenv("PEERPULSE_REDDIT_CLIENT_ID");
  const char* env_secret = std::getenv("PEERPULSE_REDDIT_CLIENT_SECRET");
  if (env_id == nullptr || env_secret == nullptr) {
    return Status::InvalidConfig(
        "no Reddit credentials: set PEERPULSE_REDDIT_CLIENT_ID and "
        "PEERPULSE_REDDIT_CLIENT_SECRET, or give the source a secrets_file");
  }
  id = env_id;
  secret = env_secret;
  return Status::Ok();
}

}  // namespace peerpulse
