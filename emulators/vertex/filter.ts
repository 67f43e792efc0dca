// The subset of ListCustomJobs' `filter` syntax the emulator understands, AND-ed terms of:
//   labels.KEY="VALUE"   labels.KEY=VALUE   labels.KEY:*   state="JOB_STATE_X"   state=JOB_STATE_X
//   display_name="NAME"
// Anything else is rejected with INVALID_ARGUMENT rather than silently matching everything.

export interface FilterableJob {
  displayName: string;
  state: string;
  labels: Record<string, string>;
}

export type JobPredicate = (job: FilterableJob) => boolean;

const TERM =
  /^\s*(?:labels\.([A-Za-z0-9_-]+)\s*(?:=\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_-]+))|:\s*\*)|(state|display_name|displayName)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_-]+)))\s*$/;

function unquote(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function term(text: string): JobPredicate {
  const m = TERM.exec(text);
  if (!m) throw new Error(`Unsupported filter term: ${text.trim()}`);
  const [, labelKey, labelQuoted, labelBare, field, fieldQuoted, fieldBare] = m;
  if (labelKey !== undefined) {
    if (labelQuoted === undefined && labelBare === undefined) {
      return (job) => Object.hasOwn(job.labels, labelKey);
    }
    const want = labelQuoted !== undefined ? unquote(labelQuoted) : labelBare;
    return (job) => job.labels[labelKey] === want;
  }
  const want = fieldQuoted !== undefined ? unquote(fieldQuoted) : fieldBare;
  if (field === 'state') return (job) => job.state === want;
  return (job) => job.displayName === want;
}

/** Splits on AND outside quotes. Throws with a message on syntax the emulator does not support. */
export function parseFilter(filter: string | undefined): JobPredicate {
  if (!filter || filter.trim() === '') return () => true;
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < filter.length;) {
    const c = filter[i];
    if (quoted && c === '\\') {
      current += filter.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '"') quoted = !quoted;
    const and = quoted ? null : /^\s+AND\s+/.exec(filter.slice(i));
    if (and) {
      parts.push(current);
      current = '';
      i += and[0].length;
      continue;
    }
    current += c;
    i++;
  }
  if (quoted) throw new Error('Unterminated string in filter.');
  parts.push(current);
  const predicates = parts.map(term);
  return (job) => predicates.every((p) => p(job));
}
