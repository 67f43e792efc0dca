// The W&B results of a launch as the reports show them: the run's summary metrics beside the
// baseline's, and a sampled history of a few of them. Filled by src/phases/results.ts.

/** A summary value as a table cell: a scalar, or the `_type` of a structured value (histogram). */
export type MetricCell = number | string | boolean | null | { object: string };

export interface MetricRow {
  name: string;
  /** undefined: the run has no such summary metric. */
  value?: MetricCell;
  baseline?: MetricCell;
}

export interface RunRef {
  /** `ENTITY/PROJECT/RUN_ID` */
  path: string;
  url?: string;
  /** The W&B run state: `finished`, `running`, `crashed`, `failed`, ... */
  state?: string;
}

export interface MetricHistory {
  name: string;
  /** [step, value] pairs in step order, finite values only. */
  points: Array<[number, number]>;
  /** The baseline run's points of the same metric, when it has a baseline and logged it. */
  baseline?: Array<[number, number]>;
}

export interface MetricsReport {
  run: RunRef;
  /** The run compared with; `label` says where it came from (`main`, or the path given). */
  baseline?: RunRef & { label: string };
  /** Why the baseline column is missing or empty, when a baseline was asked for. */
  baselineNote?: string;
  rows: MetricRow[];
  history: MetricHistory[];
  /** Caveats, e.g. the run was still syncing when it was read. */
  notes: string[];
}
