// A local stand-in for the parts of GitHub's REST API the reporter uses: check runs (and their
// listing by commit), issue comments, and reactions (which the PR comment uses as a lock). It validates requests the way GitHub does where it matters (required
// fields, 50 annotations per request, size limits), paginates comment lists with Link
// headers, records every request, and can be told to refuse routes (403) or fail (502/429).
// Comments and reactions carry their author, from the token (identity.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLoopback } from '../shared/http.ts';
import { HUMAN, Identities, type GitHubUser, type TokenIdentity } from './identity.ts';

export { ACTIONS_BOT, HUMAN, type GitHubUser } from './identity.ts';

// Request bodies are whatever clients send; handlers check each field they read.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

export type RouteName =
  | 'createCheckRun'
  | 'updateCheckRun'
  | 'getCheckRun'
  | 'listCheckRunsForRef'
  | 'listComments'
  | 'getComment'
  | 'createComment'
  | 'updateComment'
  | 'deleteComment'
  | 'createReaction'
  | 'deleteReaction'
  | 'listWorkflowRuns'
  | 'getAuthenticatedUser';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (undefined for none). */
  body: AnyJson;
  /** The Authorization header as received (tests check the token is sent, and sent only here). */
  authorization?: string;
  route?: RouteName;
  /** Status the emulator answered with. */
  status: number;
}

export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at?: string;
  completed_at?: string;
  details_url?: string;
  external_id?: string;
  output: { title?: string; summary?: string; text?: string; annotations_count: number };
  annotations: unknown[];
}

export interface IssueComment {
  id: number;
  issue: number;
  body: string;
  user: GitHubUser;
  created_at: string;
  updated_at: string;
}

/** A workflow run, as far as the runs listing shows it. */
export interface WorkflowRun {
  id: number;
  /** The workflow file's name, e.g. `reconcile.yml`. */
  workflow: string;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  run_started_at: string;
}

/** A reaction on a comment (`comment:ID`) or an issue (`issue:N`), by the user that made it. */
export interface Reaction {
  id: number;
  subject: string;
  content: string;
  user: GitHubUser;
  created_at: string;
}

export interface Fault {
  status: 502 | 503 | 500 | 429 | 403 | 404;
  /** How many requests to fail; they are counted down as they happen. */
  times: number;
  /** Only this route (default: any route). */
  route?: RouteName;
  /** Only requests whose path matches. */
  path?: RegExp;
  /** Seconds, sent as a Retry-After header. */
  retryAfter?: number;
}

export interface GitHubEmulator {
  url: string;
  requests: RecordedRequest[];
  checkRuns: Map<number, CheckRun>;
  comments: Map<number, IssueComment>;
  reactions: Map<number, Reaction>;
  /** Reactions ever created, by content: a count of lock acquisitions, say. */
  reactionsCreated(): number;
  /** Each request waits a random 0..ms before it is handled, so concurrent clients interleave. */
  setLatency(ms: number): void;
  /** Answer 403 "Resource not accessible by integration" on these routes, or on all. */
  refuse(routes: RouteName[] | 'all'): void;
  /** Fail the next requests (of one route, or any) with a transient error. */
  fail(fault: Fault): void;
  /** Record a workflow run, as GitHub would once it exists (newest first in listings). */
  seedWorkflowRun(run: WorkflowRun): void;
  /** Add comments to an issue as if someone else (default: a human) had written them. */
  seedComments(issue: number, bodies: string[], author?: GitHubUser): IssueComment[];
  /** Who a token is (default for any token: the Actions bot's installation token). */
  registerToken(token: string, identity: TokenIdentity): void;
  close(): Promise<void>;
}

const CHECK_RUN_STATUSES = new Set([
  'queued',
  'in_progress',
  'completed',
  'waiting',
  'requested',
  'pending',
]);
const CONCLUSIONS = new Set([
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
]);
const ANNOTATION_LEVELS = new Set(['notice', 'warning', 'failure']);
const REACTIONS = new Set(['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes']);
const DOCS = 'https://docs.github.com/rest';

class HttpError extends Error {
  readonly status: number;
  readonly errors?: unknown[];
  constructor(status: number, message: string, errors?: unknown[]) {
    super(message);
    this.status = status;
    this.errors = errors;
  }
}

function invalid(message: string): HttpError {
  return new HttpError(422, 'Validation Failed', [
    { resource: 'Request', code: 'invalid', message },
  ]);
}

function validateOutput(output: AnyJson): void {
  if (output === undefined) return;
  if (typeof output !== 'object' || output === null) throw invalid('output must be an object');
  if (typeof output.title !== 'string' || typeof output.summary !== 'string')
    throw invalid('output.title and output.summary are required');
  if (output.summary.length > 65535)
    throw invalid('output.summary is too long (maximum is 65535 characters)');
  if (output.text !== undefined && String(output.text).length > 65535)
    throw invalid('output.text is too long (maximum is 65535 characters)');
  const annotations = output.annotations ?? [];
  if (!Array.isArray(annotations)) throw invalid('output.annotations must be an array');
  if (annotations.length > 50)
    throw invalid('output.annotations: at most 50 annotations per request');
  for (const a of annotations) {
    if (typeof a.path !== 'string' || a.path === '') throw invalid('annotation.path is required');
    if (!Number.isInteger(a.start_line) || !Number.isInteger(a.end_line))
      throw invalid('annotation start_line/end_line are required');
    if (!ANNOTATION_LEVELS.has(a.annotation_level))
      throw invalid(`annotation_level must be one of ${[...ANNOTATION_LEVELS]}`);
    if (typeof a.message !== 'string' || a.message === '')
      throw invalid('annotation.message is required');
    if ((a.start_column !== undefined || a.end_column !== undefined) && a.start_line !== a.end_line)
      throw invalid('start_column/end_column need start_line == end_line');
  }
}

function validateStatus(body: AnyJson): void {
  if (body.status !== undefined && !CHECK_RUN_STATUSES.has(body.status))
    throw invalid(`unknown status ${body.status}`);
  if (body.conclusion !== undefined && !CONCLUSIONS.has(body.conclusion))
    throw invalid(`unknown conclusion ${body.conclusion}`);
  if (body.status === 'completed' && body.conclusion === undefined)
    throw invalid('conclusion is required when status is completed');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startGitHubEmulator(
  options: { port?: number } = {},
): Promise<GitHubEmulator> {
  const requests: RecordedRequest[] = [];
  const checkRuns = new Map<number, CheckRun>();
  const comments = new Map<number, IssueComment>();
  const reactions = new Map<number, Reaction>();
  const workflowRuns: WorkflowRun[] = [];
  let reactionsCreated = 0;
  let latencyMs = 0;
  let refused: Set<RouteName> | 'all' = new Set();
  const faults: Fault[] = [];
  let nextId = 1000;
  let url = '';
  const identities = new Identities();

  const repoBase = '/repos/([^/]+)/([^/]+)';
  const routes: { method: string; pattern: RegExp; name: RouteName }[] = [
    { method: 'POST', pattern: new RegExp(`^${repoBase}/check-runs$`), name: 'createCheckRun' },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${repoBase}/check-runs/(\\d+)$`),
      name: 'updateCheckRun',
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repoBase}/check-runs/(\\d+)$`),
      name: 'getCheckRun',
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repoBase}/commits/([^/]+)/check-runs$`),
      name: 'listCheckRunsForRef',
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repoBase}/issues/(\\d+)/comments$`),
      name: 'listComments',
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repoBase}/actions/workflows/([^/]+)/runs$`),
      name: 'listWorkflowRuns',
    },
    {
      method: 'GET',
      pattern: new RegExp(`^${repoBase}/issues/comments/(\\d+)$`),
      name: 'getComment',
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${repoBase}/issues/comments/(\\d+)$`),
      name: 'deleteComment',
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${repoBase}/issues/(comments/\\d+|\\d+)/reactions$`),
      name: 'createReaction',
    },
    {
      method: 'DELETE',
      pattern: new RegExp(`^${repoBase}/issues/(comments/\\d+|\\d+)/reactions/(\\d+)$`),
      name: 'deleteReaction',
    },
    {
      method: 'POST',
      pattern: new RegExp(`^${repoBase}/issues/(\\d+)/comments$`),
      name: 'createComment',
    },
    {
      method: 'PATCH',
      pattern: new RegExp(`^${repoBase}/issues/comments/(\\d+)$`),
      name: 'updateComment',
    },
    { method: 'GET', pattern: /^\/user$/, name: 'getAuthenticatedUser' },
  ];

  /** `comments/ID` or `N` of a reactions route, as an existing subject; undefined if it does not exist. */
  function subjectOf(part: string): string | undefined {
    const comment = /^comments\/(\d+)$/.exec(part);
    if (comment) return comments.has(Number(comment[1])) ? `comment:${comment[1]}` : undefined;
    return `issue:${part}`;
  }

  function reactionJson(r: Reaction) {
    return {
      id: r.id,
      node_id: `REA_${r.id}`,
      content: r.content,
      user: r.user,
      created_at: r.created_at,
    };
  }

  function checkRunJson(run: CheckRun, owner: string, repo: string) {
    // Annotations are listed by their own endpoint on GitHub, not in the check run.
    return { ...run, annotations: undefined, html_url: `${url}/${owner}/${repo}/runs/${run.id}` };
  }

  function commentJson(c: IssueComment, owner: string, repo: string) {
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      body: c.body,
      user: c.user,
      html_url: `${url}/${owner}/${repo}/issues/${c.issue}#issuecomment-${c.id}`,
      created_at: c.created_at,
      updated_at: c.updated_at,
    };
  }

  // Returns [status, json, extra headers].
  function handle(
    name: RouteName,
    params: string[],
    query: Record<string, string>,
    body: AnyJson,
    path: string,
    caller: TokenIdentity,
  ): [number, unknown, Record<string, string>] {
    const user = caller.user;
    const [owner, repo] = params;
    const now = new Date().toISOString();
    const page = <T>(all: T[]): [T[], Record<string, string>] => {
      const perPage = Math.min(100, Math.max(1, Number(query.per_page ?? 30) || 30));
      const n = Math.max(1, Number(query.page ?? 1) || 1);
      const last = Math.max(1, Math.ceil(all.length / perPage));
      const rest = Object.entries(query)
        .filter(([k]) => k !== 'page' && k !== 'per_page')
        .map(([k, v]) => `&${k}=${encodeURIComponent(v)}`)
        .join('');
      const pageUrl = (i: number) => `<${url}${path}?per_page=${perPage}&page=${i}${rest}>`;
      const links: string[] = [];
      if (n < last) links.push(`${pageUrl(n + 1)}; rel="next"`, `${pageUrl(last)}; rel="last"`);
      if (n > 1) links.push(`${pageUrl(1)}; rel="first"`, `${pageUrl(n - 1)}; rel="prev"`);
      return [
        all.slice((n - 1) * perPage, n * perPage),
        links.length ? { link: links.join(', ') } : {},
      ];
    };
    switch (name) {
      case 'createCheckRun': {
        if (typeof body?.name !== 'string' || body.name === '') throw invalid('name is required');
        if (typeof body.head_sha !== 'string' || !/^[0-9a-f]{40}$/.test(body.head_sha))
          throw invalid('head_sha must be a commit SHA');
        validateStatus(body);
        validateOutput(body.output);
        const run: CheckRun = {
          id: nextId++,
          name: body.name,
          head_sha: body.head_sha,
          status: body.status ?? 'queued',
          conclusion: body.conclusion ?? null,
          started_at: body.started_at,
          completed_at: body.completed_at,
          details_url: body.details_url,
          external_id: body.external_id,
          output: {
            ...body.output,
            annotations: undefined,
            annotations_count: body.output?.annotations?.length ?? 0,
          },
          annotations: [...(body.output?.annotations ?? [])],
        };
        if (run.status === 'completed' && !run.completed_at) run.completed_at = now;
        checkRuns.set(run.id, run);
        return [201, checkRunJson(run, owner, repo), {}];
      }
      case 'updateCheckRun': {
        const run = checkRuns.get(Number(params[2]));
        if (!run) throw new HttpError(404, 'Not Found');
        validateStatus(body ?? {});
        validateOutput(body?.output);
        if (body.status) run.status = body.status;
        if (body.conclusion) {
          run.conclusion = body.conclusion;
          run.status = 'completed';
        }
        if (body.completed_at) run.completed_at = body.completed_at;
        if (body.details_url) run.details_url = body.details_url;
        if (body.external_id !== undefined) run.external_id = body.external_id;
        if (body.output) {
          // Annotations accumulate across updates, as on GitHub; the rest is replaced.
          run.annotations.push(...(body.output.annotations ?? []));
          run.output = {
            title: body.output.title,
            summary: body.output.summary,
            text: body.output.text,
            annotations_count: run.annotations.length,
          };
        }
        return [200, checkRunJson(run, owner, repo), {}];
      }
      case 'listComments': {
        const issue = Number(params[2]);
        const all = [...comments.values()]
          .filter((c) => c.issue === issue)
          .sort((a, b) => a.id - b.id);
        const [slice, headers] = page(all);
        return [200, slice.map((c) => commentJson(c, owner, repo)), headers];
      }
      case 'listWorkflowRuns': {
        const workflow = decodeURIComponent(params[2]);
        // `status` takes a status or a conclusion, as on GitHub.
        const want = query.status;
        const all = workflowRuns
          .filter((r) => r.workflow === workflow)
          .filter((r) => !want || r.status === want || r.conclusion === want)
          .sort((a, b) => b.run_started_at.localeCompare(a.run_started_at));
        const [slice, headers] = page(all);
        return [
          200,
          {
            total_count: all.length,
            workflow_runs: slice.map((r) => ({
              ...r,
              created_at: r.run_started_at,
              path: `.github/workflows/${r.workflow}`,
            })),
          },
          headers,
        ];
      }
      case 'getComment': {
        const c = comments.get(Number(params[2]));
        if (!c) throw new HttpError(404, 'Not Found');
        return [200, commentJson(c, owner, repo), {}];
      }
      case 'deleteComment': {
        const id = Number(params[2]);
        if (!comments.delete(id)) throw new HttpError(404, 'Not Found');
        for (const [rid, r] of reactions) if (r.subject === `comment:${id}`) reactions.delete(rid);
        return [204, undefined, {}];
      }
      case 'getCheckRun': {
        const run = checkRuns.get(Number(params[2]));
        if (!run) throw new HttpError(404, 'Not Found');
        return [200, checkRunJson(run, owner, repo), {}];
      }
      case 'listCheckRunsForRef': {
        const ref = decodeURIComponent(params[2]);
        if (
          query.status !== undefined &&
          !['queued', 'in_progress', 'completed'].includes(query.status)
        )
          throw invalid(`status must be queued, in_progress or completed`);
        const all = [...checkRuns.values()]
          .filter((r) => r.head_sha === ref)
          .filter((r) => query.status === undefined || r.status === query.status)
          .filter((r) => query.check_name === undefined || r.name === query.check_name)
          .sort((a, b) => b.id - a.id);
        const [slice, headers] = page(all);
        return [
          200,
          { total_count: all.length, check_runs: slice.map((r) => checkRunJson(r, owner, repo)) },
          headers,
        ];
      }
      case 'createReaction': {
        const subject = subjectOf(params[2]);
        if (subject === undefined) throw new HttpError(404, 'Not Found');
        const content = body?.content;
        if (!REACTIONS.has(content)) throw invalid(`content must be one of ${[...REACTIONS]}`);
        // Same user, subject and content: GitHub answers 200 with the reaction that exists.
        const existing = [...reactions.values()].find(
          (r) => r.subject === subject && r.content === content && r.user.id === user.id,
        );
        if (existing) return [200, reactionJson(existing), {}];
        const reaction: Reaction = { id: nextId++, subject, content, user, created_at: now };
        reactions.set(reaction.id, reaction);
        reactionsCreated++;
        return [201, reactionJson(reaction), {}];
      }
      case 'deleteReaction': {
        const subject = subjectOf(params[2]);
        const reaction = reactions.get(Number(params[3]));
        if (!reaction || reaction.subject !== subject) throw new HttpError(404, 'Not Found');
        reactions.delete(reaction.id);
        return [204, undefined, {}];
      }
      case 'createComment': {
        if (typeof body?.body !== 'string' || body.body === '') throw invalid('body is required');
        if (body.body.length > 65536)
          throw invalid('body is too long (maximum is 65536 characters)');
        const c: IssueComment = {
          id: nextId++,
          issue: Number(params[2]),
          body: body.body,
          user,
          created_at: now,
          updated_at: now,
        };
        comments.set(c.id, c);
        return [201, commentJson(c, owner, repo), {}];
      }
      case 'updateComment': {
        const c = comments.get(Number(params[2]));
        if (!c) throw new HttpError(404, 'Not Found');
        if (typeof body?.body !== 'string' || body.body === '') throw invalid('body is required');
        if (body.body.length > 65536)
          throw invalid('body is too long (maximum is 65536 characters)');
        c.body = body.body;
        c.updated_at = now;
        return [200, commentJson(c, owner, repo), {}];
      }
      case 'getAuthenticatedUser': {
        if (caller.installation) throw new HttpError(403, 'Resource not accessible by integration');
        return [200, { ...user, node_id: `U_${user.id}` }, {}];
      }
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const parsed = new URL(req.url ?? '/', 'http://localhost');
    const query = Object.fromEntries(parsed.searchParams);
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path: parsed.pathname,
      query,
      body: undefined,
      authorization: req.headers.authorization,
      status: 0,
    };
    requests.push(record);
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        date: new Date().toUTCString(),
        ...headers,
      });
      res.end(status === 204 ? undefined : JSON.stringify(json));
    };
    const fault = (
      status: number,
      message: string,
      errors?: unknown[],
      headers: Record<string, string> = {},
    ) =>
      send(
        status,
        { message, documentation_url: DOCS, ...(errors ? { errors } : {}), status: String(status) },
        headers,
      );

    try {
      record.body = raw ? JSON.parse(raw) : undefined;
    } catch {
      return fault(400, 'Problems parsing JSON');
    }
    let match: RegExpExecArray | null = null;
    const route = routes.find(
      (r) => r.method === method && (match = r.pattern.exec(parsed.pathname)) !== null,
    );
    if (!route || !match) return fault(404, 'Not Found');
    record.route = route.name;
    if (!req.headers.authorization) return fault(401, 'Requires authentication');
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, Math.random() * latencyMs));

    const faultIndex = faults.findIndex(
      (f) =>
        f.times > 0 &&
        (!f.route || f.route === route.name) &&
        (!f.path || f.path.test(parsed.pathname)),
    );
    if (faultIndex >= 0) {
      const f = faults[faultIndex];
      f.times--;
      const headers: Record<string, string> =
        f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {};
      const message =
        f.status === 404
          ? 'Not Found'
          : f.status === 429 || f.status === 403
            ? 'API rate limit exceeded'
            : 'Server Error';
      return fault(f.status, message, undefined, headers);
    }
    if (refused === 'all' || refused.has(route.name))
      return fault(403, 'Resource not accessible by integration');

    try {
      const [status, json, headers] = handle(
        route.name,
        (match as RegExpExecArray).slice(1),
        query,
        record.body ?? {},
        parsed.pathname,
        identities.of(req.headers.authorization),
      );
      send(status, json, headers);
    } catch (e) {
      if (e instanceof HttpError) return fault(e.status, e.message, e.errors);
      fault(500, e instanceof Error ? e.message : String(e));
    }
  }

  const server = await listenLoopback(
    (req, res) => {
      serve(req, res).catch((e) => {
        res.writeHead(500);
        res.end(String(e));
      });
    },
    { port: options.port },
  );
  url = server.url;

  return {
    url,
    requests,
    checkRuns,
    comments,
    reactions,
    reactionsCreated: () => reactionsCreated,
    setLatency(ms) {
      latencyMs = ms;
    },
    refuse(routesToRefuse) {
      refused = routesToRefuse === 'all' ? 'all' : new Set(routesToRefuse);
    },
    fail(f) {
      faults.push({ ...f });
    },
    registerToken(token, identity) {
      identities.register(token, identity);
    },
    seedWorkflowRun(run) {
      workflowRuns.push({ ...run });
    },
    seedComments(issue, bodies, author = HUMAN) {
      const now = new Date().toISOString();
      return bodies.map((body) => {
        const c: IssueComment = {
          id: nextId++,
          issue,
          body,
          user: author,
          created_at: now,
          updated_at: now,
        };
        comments.set(c.id, c);
        return c;
      });
    },
    close: () => server.close(),
  };
}
