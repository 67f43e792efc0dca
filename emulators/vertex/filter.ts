// The subset of ListCustomJobs' `filter` syntax the emulator understands, AND-ed terms of:
//   labels.KEY="VALUE"   labels.KEY=VALUE   labels.KEY!="VALUE"   labels.KEY:*
//   state="JOB_STATE_X"  state!=JOB_STATE_X  display_name="NAME"
//   create_time>"2026-11-01T00:00:00Z" (also =, !=, <, <=, >=; RFC 3339)
// Anything else is rejected with INVALID_ARGUMENT rather than silently matching everything.

import { splitAndTerms } from '../shared/filter-terms.ts';

export interface FilterableJob {
  displayName: string;
  state: string;
  labels: Record<string, string>;
  /** Milliseconds since the epoch. */
  createTime: number;
}

export type JobPredicate = (job: FilterableJob) => boolean;

const VALUE = String.raw`(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_-]+))`;
const LABEL_TERM = new RegExp(
  String.raw`^\s*labels\.([A-Za-z0-9_-]+)\s*(?:(!=|=)\s*${VALUE}|:\s*\*)\s*$`,
);
const FIELD_TERM = new RegExp(
  String.raw`^\s*(state|display_name|displayName)\s*(!=|=)\s*${VALUE}\s*$`,
);
const TIME_TERM = /^\s*create_time\s*(!=|<=|>=|=|<|>)\s*"([^"]+)"\s*$/;

function unquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function term(text: string): JobPredicate {
  const label = LABEL_TERM.exec(text);
  if (label) {
    const [, key, op, quoted, bare] = label;
    if (op === undefined) return (job) => Object.hasOwn(job.labels, key);
    const want = quoted !== undefined ? unquote(quoted) : bare;
    return op === '=' ? (job) => job.labels[key] === want : (job) => job.labels[key] !== want;
  }
  const field = FIELD_TERM.exec(text);
  if (field) {
    const [, name, op, quoted, bare] = field;
    const want = quoted !== undefined ? unquote(quoted) : bare;
    const read = (job: FilterableJob) => (name === 'state' ? job.state : job.displayName);
    return op === '=' ? (job) => read(job) === want : (job) => read(job) !== want;
  }
  const time = TIME_TERM.exec(text);
  if (time) {
    const at = Date.parse(time[2]);
    if (Number.isNaN(at)) throw new Error(`create_time must be RFC 3339: ${time[2]}`);
    return (job) => compare(time[1], job.createTime, at);
  }
  throw new Error(`Unsupported filter term: ${text.trim()}`);
}

/** Every AND-ed term must hold. Throws with a message on syntax the emulator does not support. */
export function parseFilter(filter: string | undefined): JobPredicate {
  if (!filter || filter.trim() === '') return () => true;
  const predicates = splitAndTerms(filter).map(term);
  return (job) => predicates.every((p) => p(job));
}
