// The LoggingServiceV2 handlers: ListLogEntries (pages, ordered by timestamp, only entries
// already visible) and TailLogEntries (a session pushes entries as they become visible), with
// the faults tests ask for: PERMISSION_DENIED, RESOURCE_EXHAUSTED (scripted, or a per-project
// read quota), pages that overlap (repeat the previous page's last entries), the limit on open tail sessions.

import {
  type Metadata,
  status,
  type ServerDuplexStream,
  type ServerErrorResponse,
  type ServerUnaryCall,
  type sendUnaryData,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { bearer, RpcError } from '../shared/grpc.ts';
import { jobIdOf, parseLogFilter, type FilterableEntry } from './filter.ts';
import { byTimestamp, pageOf, parsePageToken, toMessage, type PageCursor } from './pages.ts';
import type { LogScript } from './scripts.ts';

type Obj = Record<string, unknown>;

export interface StoredEntry extends FilterableEntry {
  /** When the entry becomes visible to reads (its receive time here), ms. */
  visibleMs: number;
  text: string;
  json: boolean;
}

export interface RecordedCall {
  method: string;
  time: string;
  token: string | null;
  request: Obj;
  code: number;
  /** Entries returned (for ListLogEntries) or pushed (for TailLogEntries). */
  returned: number;
}

export interface LoggingState {
  /** Entries by job id. */
  jobs: Map<string, StoredEntry[]>;
  /** Scripts waiting for the next job ids the emulator sees. */
  scriptQueue: LogScript[];
  calls: RecordedCall[];
  deny: boolean;
  /** The next N reads answer RESOURCE_EXHAUSTED. */
  exhaustNext: number;
  /** Per-project read quota (ListLogEntries calls per `quotaWindowMs`); undefined: none. */
  readsPerWindow?: number;
  quotaWindowMs: number;
  /** Largest page the server returns, whatever the request asks. */
  maxPageSize: number;
  /**
   * Each page after the first starts with this many of the previous page's last entries again,
   * as paging by timestamp does (the next page starts at the last timestamp returned).
   */
  pageOverlap: number;
  tailSessionsPerProject: number;
  openTails: Map<string, number>;
  requireToken: boolean;
  acceptedTokens: Set<string>;
  insertCounter: number;
}

/** Puts a script's entries under `jobId`, timed from `t0`. */
export function bindScript(
  state: LoggingState,
  jobId: string,
  script: LogScript,
  t0: number,
): void {
  const entries = state.jobs.get(jobId) ?? [];
  for (const s of script.entries) {
    const timeMs = t0 + s.at;
    const receiveMs = timeMs + (s.lateMs ?? script.lateMs ?? 0);
    const severity = s.severity ?? (s.stream === 'stderr' ? 'ERROR' : 'INFO');
    const labels: Record<string, string> = { job_id: jobId, project_id: 'emulated' };
    if (s.replica !== null) labels.task_name = s.replica ?? 'workerpool0-0';
    const stream = s.stream === 'stderr' ? 'stderr' : 'stdout';
    entries.push({
      logName: `projects/emulated/logs/${s.replica === null ? 'aiplatform.googleapis.com%2Fcustom_job' : stream}`,
      resource: { type: 'ml_job', labels },
      severity,
      insertId: `e${String(++state.insertCounter).padStart(8, '0')}`,
      timeMs,
      receiveMs,
      visibleMs: receiveMs,
      text: s.text,
      json: s.json ?? false,
    });
  }
  state.jobs.set(jobId, entries);
}

function projectsOf(request: Obj): string[] {
  const names = (request.resourceNames as string[] | undefined) ?? [];
  if (names.length === 0)
    throw new RpcError(status.INVALID_ARGUMENT, 'resource_names must name at least one resource.');
  for (const n of names)
    if (!/^projects\/[^/]+$/.test(n))
      throw new RpcError(status.INVALID_ARGUMENT, `Unsupported resource name: ${n}`);
  return names.map((n) => n.slice('projects/'.length));
}

function matching(state: LoggingState, filter: string, asOf: number): StoredEntry[] {
  let predicate;
  try {
    predicate = parseLogFilter(filter);
  } catch (e) {
    throw new RpcError(status.INVALID_ARGUMENT, (e as Error).message);
  }
  const all = [...state.jobs.values()].flat();
  return all.filter((e) => e.visibleMs <= asOf && predicate(e)).sort(byTimestamp);
}

/** Binds the next queued script to a job id seen for the first time. */
function noticeJob(state: LoggingState, filter: string | undefined): void {
  const jobId = jobIdOf(filter);
  if (jobId === undefined || state.jobs.has(jobId)) return;
  const script = state.scriptQueue.shift();
  state.jobs.set(jobId, []);
  if (script) bindScript(state, jobId, script, Date.now());
}

function checkQuota(state: LoggingState, project: string, now: number): void {
  if (state.exhaustNext > 0) {
    state.exhaustNext--;
    throw new RpcError(
      status.RESOURCE_EXHAUSTED,
      `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'logging.googleapis.com' for consumer 'project:${project}'.`,
    );
  }
  if (state.readsPerWindow === undefined) return;
  const since = now - state.quotaWindowMs;
  const used = state.calls.filter(
    (c) =>
      c.method === 'ListLogEntries' &&
      c.code !== status.RESOURCE_EXHAUSTED &&
      Date.parse(c.time) > since &&
      ((c.request.resourceNames as string[] | undefined) ?? []).includes(`projects/${project}`),
  ).length;
  if (used >= state.readsPerWindow)
    throw new RpcError(
      status.RESOURCE_EXHAUSTED,
      `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service 'logging.googleapis.com' for consumer 'project:${project}' (${state.readsPerWindow} per ${state.quotaWindowMs} ms).`,
    );
}

function authorize(state: LoggingState, metadata: Metadata): string | null {
  const token = bearer(metadata);
  if (state.requireToken && (token === null || !state.acceptedTokens.has(token)))
    throw new RpcError(status.UNAUTHENTICATED, 'Request had invalid authentication credentials.');
  return token;
}

function listLogEntries(state: LoggingState, request: Obj): { response: Obj; returned: number } {
  const [project] = projectsOf(request);
  const filter = String(request.filter ?? '');
  noticeJob(state, filter);
  if (state.deny)
    throw new RpcError(
      status.PERMISSION_DENIED,
      `Permission 'logging.logEntries.list' denied on resource (or it may not exist).`,
    );
  const now = Date.now();
  checkQuota(state, project, now);
  const orderBy = String(request.orderBy ?? '').trim();
  if (orderBy !== '' && orderBy !== 'timestamp asc' && orderBy !== 'timestamp desc')
    throw new RpcError(status.INVALID_ARGUMENT, `Unsupported order_by: ${orderBy}`);
  const pageSize = Number(request.pageSize ?? 0) || 50;
  if (pageSize < 0 || pageSize > 1000)
    throw new RpcError(status.INVALID_ARGUMENT, 'page_size must be between 0 and 1000.');
  let cursor: PageCursor = { offset: 0, asOf: now };
  if (request.pageToken) {
    const parsed = parsePageToken(String(request.pageToken));
    if (!parsed) throw new RpcError(status.INVALID_ARGUMENT, 'Invalid page token.');
    cursor = parsed;
  }
  let results = matching(state, filter, cursor.asOf);
  if (orderBy === 'timestamp desc') results = results.reverse();
  const size = Math.min(pageSize, state.maxPageSize);
  const { page, nextPageToken } = pageOf(results, cursor, size, state.pageOverlap);
  return { response: { entries: page.map(toMessage), nextPageToken }, returned: page.length };
}

export function loggingHandlers(state: LoggingState): UntypedServiceImplementation {
  const record = (
    method: string,
    token: string | null,
    request: Obj,
    code: number,
    returned: number,
  ) => state.calls.push({ method, time: new Date().toISOString(), token, request, code, returned });

  return {
    ListLogEntries(call: ServerUnaryCall<Obj, Obj>, callback: sendUnaryData<Obj>) {
      const request = call.request;
      let token: string | null = bearer(call.metadata);
      try {
        token = authorize(state, call.metadata);
        const { response, returned } = listLogEntries(state, request);
        record('ListLogEntries', token, request, status.OK, returned);
        callback(null, response);
      } catch (e) {
        const code = e instanceof RpcError ? e.code : status.INTERNAL;
        record('ListLogEntries', token, request, code, 0);
        callback({ code, details: (e as Error).message } as ServerErrorResponse);
      }
    },

    TailLogEntries(call: ServerDuplexStream<Obj, Obj>) {
      let timer: NodeJS.Timeout | undefined;
      let project: string | undefined;
      const end = () => {
        if (timer) clearInterval(timer);
        timer = undefined;
        if (project !== undefined)
          state.openTails.set(project, (state.openTails.get(project) ?? 1) - 1);
        project = undefined;
      };
      call.on('data', (request: Obj) => {
        if (timer || project !== undefined) return; // one query per session
        const token = bearer(call.metadata);
        try {
          authorize(state, call.metadata);
          const [p] = projectsOf(request);
          if (state.deny)
            throw new RpcError(
              status.PERMISSION_DENIED,
              `Permission 'logging.logEntries.list' denied.`,
            );
          const open = state.openTails.get(p) ?? 0;
          if (open >= state.tailSessionsPerProject)
            throw new RpcError(
              status.RESOURCE_EXHAUSTED,
              `Too many open live-tailing sessions for project ${p} (${state.tailSessionsPerProject}).`,
            );
          project = p;
          state.openTails.set(p, open + 1);
          const filter = String(request.filter ?? '');
          noticeJob(state, filter);
          const started = Date.now();
          const sent = new Set<string>();
          let pushed = 0;
          record('TailLogEntries', token, request, status.OK, 0);
          timer = setInterval(() => {
            const fresh = matching(state, filter, Date.now()).filter(
              (e) => e.receiveMs >= started && !sent.has(e.insertId),
            );
            if (fresh.length === 0) return;
            for (const e of fresh) sent.add(e.insertId);
            pushed += fresh.length;
            state.calls[state.calls.length - 1].returned = pushed;
            call.write({ entries: fresh.map(toMessage) });
          }, 20);
        } catch (e) {
          const code = e instanceof RpcError ? e.code : status.INTERNAL;
          record('TailLogEntries', token, request, code, 0);
          call.emit('error', { code, details: (e as Error).message } as ServerErrorResponse);
        }
      });
      call.on('end', () => {
        end();
        call.end();
      });
      call.on('cancelled', end);
      call.on('error', end);
    },
  };
}
