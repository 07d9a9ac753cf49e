// Source credentials, shared by the runner (which uses them) and CheckJob
// (which only checks that they can be had). Internal to peerpulse::runner.
#ifndef PEERPULSE_PIPELINE_RUNNER_SRC_CREDENTIALS_H_
#define PEERPULSE_PIPELINE_RUNNER_SRC_CREDENTIALS_H_

#include <string>

#include "peerpulse/pipeline/job.h"
#include "peerpulse/pipeline/status.h"

namespace peerpulse {

// Reddit client credentials: the source's secrets file ([reddit] client_id,
// client_secret; it must not be readable by group or others), else the
// environment (PEERPULSE_REDDIT_CLIENT_ID, PEERPULSE_REDDIT_CLIENT_SECRET);
// never the job file. Errors: NotFound for a missing secrets file,
// InvalidConfig for one readable by others, malformed, or no credentials at all.
Status RedditCredentials(const SourceSpec& spec, std::string& id, std::string& secret);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_RUNNER_SRC_CREDENTIALS_H_
