// The subset of the logging query language the emulator understands: AND-ed comparisons
//   FIELD OP "VALUE"   with OP one of = != > >= < <=
// on resource.type, resource.labels.KEY, logName, severity, insertId, timestamp and
// receiveTimestamp (compared as instants; severity by rank). Anything else is rejected with
// INVALID_ARGUMENT rather than silently matching everything.

import { splitAndTerms } from '../shared/filter-terms.ts';

export interface FilterableEntry {
  logName: string;
  resource: { type: string; labels: Record<string, string> };
  severity: string;
  insertId: string;
  timeMs: number;
  receiveMs: number;
}

export type EntryPredicate = (entry: FilterableEntry) => boolean;

const TERM =
  /^\s*(resource\.type|resource\.labels\.[A-Za-z0-9_]+|logName|severity|insertId|timestamp|receiveTimestamp)\s*(=|!=|>=|<=|>|<)\s*(?:"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_.:-]+))\s*$/;

const SEVERITIES = [
  'DEFAULT',
  'DEBUG',
  'INFO',
  'NOTICE',
  'WARNING',
  'ERROR',
  'CRITICAL',
  'ALERT',
  'EMERGENCY',
];

function compare(a: number | string, b: number | string, op: string): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    default:
      return a <= b;
  }
}

function term(text: string): EntryPredicate {
  const m = TERM.exec(text);
  if (!m) throw new Error(`Unsupported filter term: ${text.trim()}`);
  const [, field, op, quoted, bare] = m;
  const value = quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare;
  if (field === 'timestamp' || field === 'receiveTimestamp') {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw new Error(`Invalid timestamp in filter: ${value}`);
    return (e) => compare(field === 'timestamp' ? e.timeMs : e.receiveMs, ms, op);
  }
  if (field === 'severity') {
    const rank = SEVERITIES.indexOf(value);
    if (rank < 0) throw new Error(`Unknown severity in filter: ${value}`);
    return (e) => compare(SEVERITIES.indexOf(e.severity), rank, op);
  }
  const get = (e: FilterableEntry): string =>
    field === 'resource.type'
      ? e.resource.type
      : field === 'logName'
        ? e.logName
        : field === 'insertId'
          ? e.insertId
          : (e.resource.labels[field.slice('resource.labels.'.length)] ?? '');
  return (e) => compare(get(e), value, op);
}

/** Every AND-ed term must hold. Throws with a message on syntax the emulator does not support. */
export function parseLogFilter(filter: string | undefined): EntryPredicate {
  if (!filter || filter.trim() === '') return () => true;
  const predicates = splitAndTerms(filter).map(term);
  return (e) => predicates.every((p) => p(e));
}

/** The job id a filter asks for (`resource.labels.job_id="ID"`), if any. */
export function jobIdOf(filter: string | undefined): string | undefined {
  return /resource\.labels\.job_id\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(filter ?? '')?.[1];
}
