// Job files: what one scheduled ingestion does (README "Job files").
#ifndef PEERPULSE_PIPELINE_JOB_H_
#define PEERPULSE_PIPELINE_JOB_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "peerpulse/pipeline/status.h"

namespace peerpulse {

struct SourceSpec {
  std::string name;        // unique in the job; keys the cursor
  std::string type;        // "jsonl" (HTTP sources come with the crawler issue)
  std::string path;        // jsonl: the file, absolute or relative to the job file
  std::string community;   // default community for records that give none
  std::size_t batch_size = 500;  // posts per committed batch
  int line = 0;
};

struct Job {
  std::string path;        // the job file
  std::string name;
  std::string policy;      // resolved paths (relative ones are taken from the job file's folder)
  std::string taxonomy;
  std::string store;
  // Release settings (min_authors, epsilon, ...) are the policy's, not the job's.
  std::vector<SourceSpec> sources;
};

// Parses a job. Errors: InvalidConfig with FILE:LINE:COLUMN. A missing job
// file is also InvalidConfig (CLI exit code 3).
Result<Job> ParseJob(std::string_view text, const std::string& path);
Result<Job> LoadJobFile(const std::string& path);

}  // namespace peerpulse

#endif  // PEERPULSE_PIPELINE_JOB_H_
