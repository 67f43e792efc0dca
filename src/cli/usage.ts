// Usage of the job verbs, apart from their code so `plan` and `--help` never load the clients.
export const JOB_USAGE = `usage: wb-vertex-launch launch <plan's flags> [--vertex-endpoint E] [--wait] [--wait-timeout 5h30m]
       wb-vertex-launch status JOB_NAME [--vertex-endpoint E]
       wb-vertex-launch cancel JOB_NAME [--vertex-endpoint E]
JOB_NAME is projects/P/locations/R/customJobs/ID. Prints the job as JSON on stdout.`;

export const RECONCILE_USAGE = `usage: wb-vertex-launch reconcile --project P --region R [--repository OWNER/REPO] [--vertex-endpoint E]
Completes the check runs and PR comment entries of the repository's ended launches that their
step left running. GITHUB_TOKEN (checks: write, pull-requests: write) comes from the
environment; --repository defaults to GITHUB_REPOSITORY, the API to GITHUB_API_URL. With
WANDB_API_KEY (and WANDB_BASE_URL), W&B queue items whose run never started are failed in W&B.`;

export const LOGS_USAGE = `usage: wb-vertex-launch logs JOB_NAME [--follow] [--vertex-endpoint E] [--logging-endpoint E]
Prints the job's log entries (Cloud Logging) on stdout, oldest first, each line prefixed by its
replica; with --follow, goes on until the job ends. Needs roles/logging.viewer.`;

export const AGENT_USAGE = `usage: wb-vertex-launch agent --queue ENTITY/QUEUE [--max-items N] [--project P] [--region R]
       [--vertex-endpoint E] [--wandb-entity E] [--wandb-project P] [--wandb-base-url URL]
       [--wait] [--wait-timeout 5h30m]
One pass of a W&B Launch agent over the queue: takes up to N items (default 1), acks each and
launches it on Vertex AI as W&B's Vertex runner would, or fails it in W&B. WANDB_API_KEY comes
from the environment (never a flag); with GITHUB_TOKEN and GITHUB_REPOSITORY, each launch gets a
check run. Prints every item's outcome as JSON on stdout.`;
