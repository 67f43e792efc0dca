// The keys a queue config may hold: `spec` is the Vertex Python SDK's CustomJob(...)
// arguments, `run` is CustomJob.run(...)'s. Which of them W&B Launch's own Vertex runner
// passes on is listed too, so moving a queue between the two never surprises anyone.

export const SPEC_KEYS = [
  'display_name',
  'worker_pool_specs',
  'base_output_dir',
  'project',
  'location',
  'labels',
  'encryption_spec_key_name',
  'staging_bucket',
  'persistent_resource_id',
] as const;

export const RUN_KEYS = [
  'service_account',
  'network',
  'reserved_ip_ranges',
  'timeout',
  'restart_job_on_worker_restart',
  'disable_retries',
  'scheduling_strategy',
  'max_wait_duration',
  'enable_web_access',
  'enable_dashboard_access',
  'tensorboard',
  'experiment',
  'experiment_run',
  'sync',
  'persistent_resource_id',
  'create_request_timeout',
] as const;

/** What W&B Launch's Vertex runner reads; any other known key it silently drops. */
export const WANDB_LAUNCH_READS = {
  spec: [
    'worker_pool_specs',
    'base_output_dir',
    'encryption_spec_key_name',
    'labels',
    'staging_bucket',
  ],
  run: [
    'timeout',
    'service_account',
    'network',
    'enable_web_access',
    'experiment',
    'experiment_run',
    'tensorboard',
    'restart_job_on_worker_restart',
  ],
} as const;

/** SDK arguments that exist but have no place in a launch from CI. */
export const NOT_APPLICABLE: Record<string, string> = {
  'spec.credentials':
    'credentials come from the action (workload-identity-provider, or Application Default Credentials), not the queue config',
};
