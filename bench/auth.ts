// What credentials cost the bundled action, measured through the real bundle against the local
// stand-ins. Usage: npx node bench/auth.ts [RUNS] [SIMULATED_HOURS]  (bundle dir: env WBVL_DIST,
// default dist).
//
// (a) Start-up: process spawn -> CreateCustomJob received by the Vertex emulator, for the same
//     run (wait: false) with a plaintext endpoint and no credentials, with workload identity
//     federation (STS token straight to Vertex over TLS), and with WIF + impersonation over TLS.
//     Interleaved runs, medians, differences and ratios.
// (b) Token requests per hour of waiting, with one-hour tokens. google-auth-library decides when
//     to refresh from the wall clock (refresh when now >= expiry - 5 min), so hours of waiting
//     are replayed quickly by running the bundle AND the stand-ins on one accelerated clock
//     (Date runs RATE times faster from a shared origin, in both processes). Poll delays are
//     scaled by 1/RATE (WB_VERTEX_LAUNCH_TIME_SCALE), so in simulated time the follow loop polls
//     at its production pace (every 60 s once the job is steady). Nothing else is changed.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startVertexEmulator } from '../emulators/vertex/emulator.ts';
import type { IssuedToken } from '../emulators/google-auth/index.ts';
import { BASE_INPUTS, startCredentialedSetup } from '../__tests__/action-auth/setup.ts';

const RUNS = Number(process.argv[2] ?? 15);
const SIM_HOURS = Number(process.argv[3] ?? 5);
const RATE = 600; // simulated seconds per real second in (b)
const ROOT = resolve(import.meta.dirname, '..');
const BUNDLE = join(resolve(ROOT, process.env.WBVL_DIST || 'dist'), 'main', 'index.js');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The same inputs with no `service-account`: the STS token is used directly. */
const withoutServiceAccount = (inputs: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(inputs).filter(([k]) => k !== 'service-account'));

let runId = 9000;
/** Runs the main step like the runner does; resolves with its exit code and spawn time. */
function runMain(
  inputs: Record<string, string>,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ code: number | null; spawnedAt: number; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'wbvl-bench-auth-'));
  const files = ['output', 'state', 'summary'].map((f) => join(dir, f));
  for (const f of files) writeFileSync(f, '');
  const full: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_RUN_ID: String(++runId), // a new launch label per run
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'train',
    GITHUB_JOB: 'train',
    GITHUB_ACTION: 'launch',
    GITHUB_WORKSPACE: ROOT,
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: files[0]!,
    GITHUB_STATE: files[1]!,
    GITHUB_STEP_SUMMARY: files[2]!,
    ...env,
  };
  for (const [k, v] of Object.entries(inputs)) full[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise((resolvePromise, reject) => {
    const spawnedAt = Date.now();
    const child = spawn(NODE, [...nodeArgs, BUNDLE], { cwd: ROOT, env: full });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
      resolvePromise({ code, spawnedAt, log });
    });
  });
}

// ---------------------------------------------------------------- (a) start-up cost
async function startup(): Promise<void> {
  const creds = await startCredentialedSetup();
  // For the no-impersonation variant Vertex must also accept the STS tokens; and the moment
  // the last token of an exchange is issued (just before its response is sent) is noted.
  let lastIssuedAt = 0;
  for (const [list, accept] of [
    [creds.auth.sts.issued, true],
    [creds.auth.iam.issued, false],
  ] as const) {
    const push = list.push.bind(list);
    list.push = (...t: IssuedToken[]) => {
      lastIssuedAt = Date.now();
      if (accept) creds.vertex.acceptTokens(...t.map((x) => x.token));
      return push(...t);
    };
  }
  const plain = await startVertexEmulator({ tickMs: 100 });
  const common = { ...BASE_INPUTS, wait: 'false', 'job-summary': 'false' };
  const wifInputs = withoutServiceAccount(creds.authInputs);
  const variants = {
    'plaintext, no credentials': {
      vertex: plain,
      inputs: { ...common, 'vertex-endpoint': `http://${plain.grpcAddress}` },
      env: { WB_VERTEX_LAUNCH_TIME_SCALE: '0.01' },
    },
    'TLS, WIF (STS token)': {
      vertex: creds.vertex,
      inputs: { ...common, ...wifInputs },
      env: creds.env,
    },
    'TLS, WIF + impersonation': {
      vertex: creds.vertex,
      inputs: { ...common, ...creds.authInputs },
      env: creds.env,
    },
  };
  type Name = keyof typeof variants;
  const samples: Record<Name, { create: number[]; oidc: number[]; exchange: number[] }> = {
    'plaintext, no credentials': { create: [], oidc: [], exchange: [] },
    'TLS, WIF (STS token)': { create: [], oidc: [], exchange: [] },
    'TLS, WIF + impersonation': { create: [], oidc: [], exchange: [] },
  };
  const a = creds.auth;
  const measure = async (name: Name, keep: boolean): Promise<void> => {
    const v = variants[name];
    const callsBefore = v.vertex.record().calls.length;
    const before = [a.oidc, a.sts, a.iam].map((server) => server.requests.length);
    const run = await runMain(v.inputs, v.env);
    if (run.code !== 0) throw new Error(`${name}: the step failed:\n${run.log}`);
    const create = v.vertex
      .record()
      .calls.slice(callsBefore)
      .find((c) => c.method === 'CreateCustomJob');
    if (!create) throw new Error(`${name}: no CreateCustomJob was received`);
    if (!keep) return;
    samples[name].create.push(Date.parse(create.time) - run.spawnedAt);
    // The exchange, as the servers saw it: OIDC request arrival -> last token issued.
    // Its rounds run one after another before anything else, so they add to start-up in full.
    const made = [a.oidc, a.sts, a.iam].flatMap((server, i) => server.requests.slice(before[i]));
    if (made.length === 0) return;
    samples[name].oidc.push(made[0]!.time - run.spawnedAt);
    samples[name].exchange.push(lastIssuedAt - made[0]!.time);
  };
  const names = Object.keys(variants) as Name[];
  for (const n of names) await measure(n, false); // warm the file cache
  for (let i = 0; i < RUNS; i++) for (const n of names) await measure(n, true);
  await Promise.all([creds.close(), plain.stop()]);

  // Other processes share the machine: medians are reported with their spread, and minima
  // (the least disturbed run of each) as a second estimate of the difference.
  const base = median(samples['plaintext, no credentials'].create);
  const baseMin = Math.min(...samples['plaintext, no credentials'].create);
  const quartiles = (xs: number[]): string => {
    const s = [...xs].sort((x, y) => x - y);
    return `${s[Math.floor((s.length - 1) / 4)]!.toFixed(0)}-${s[Math.ceil(((s.length - 1) * 3) / 4)]!.toFixed(0)}`;
  };
  console.log(`## (a) Start-up: spawn -> CreateCustomJob received (${RUNS} interleaved runs each)`);
  console.log(
    '| variant | median ms (p25-p75) | added (median) | ratio (median) | min ms | added (min) | spawn -> OIDC request ms | exchange ms (OIDC request -> last token issued) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const n of names) {
    const xs = samples[n].create;
    const m = median(xs);
    const min = Math.min(...xs);
    const cell = (v: number[]) => (v.length ? median(v).toFixed(0) : '-');
    console.log(
      `| ${n} | ${m.toFixed(0)} (${quartiles(xs)}) | ${(m - base).toFixed(0)} | ${(m / base).toFixed(2)}x | ${min.toFixed(0)} | ${(min - baseMin).toFixed(0)} | ${cell(samples[n].oidc)} | ${cell(samples[n].exchange)} |`,
    );
  }
}

// ---------------------------------------------------------------- (b) token requests per hour
/** Source of a preload that makes Date run `rate` times faster from origin `t0`. */
const clockSource = (t0: number, rate: number): string =>
  `const R=Date,T0=${t0},K=${rate},now=()=>T0+(R.now()-T0)*K;` +
  'class D extends R{constructor(...a){if(a.length)super(...a);else super(now())}static now(){return now()}}' +
  'globalThis.Date=D;';

let fastClockOrigin: number | undefined;

async function tokensPerHour(impersonate: boolean): Promise<void> {
  // This process (the stand-ins and the Vertex emulator) runs on the same fast clock.
  if (fastClockOrigin === undefined) {
    fastClockOrigin = Date.now();
    new Function(clockSource(fastClockOrigin, RATE))();
  }
  const t0 = fastClockOrigin;
  const tickMs = (SIM_HOURS * 3_600_000) / 4; // `succeed`: SUCCEEDED after 4 ticks
  const creds = await startCredentialedSetup({ tickMs });
  if (!impersonate) {
    // Vertex takes the STS token itself.
    const sts = creds.auth.sts.issued;
    const push = sts.push.bind(sts);
    sts.push = (...t: IssuedToken[]) => (
      creds.vertex.acceptTokens(...t.map((x) => x.token)),
      push(...t)
    );
  }
  const wifInputs = withoutServiceAccount(creds.authInputs);
  const preload = `data:text/javascript,${encodeURIComponent(clockSource(t0, RATE))}`;
  const started = Date.now();
  const run = await runMain(
    {
      ...BASE_INPUTS,
      ...(impersonate ? creds.authInputs : wifInputs),
      'wait-timeout': `${SIM_HOURS + 1}h`,
    },
    { ...creds.env, WB_VERTEX_LAUNCH_TIME_SCALE: String(1 / RATE) },
    ['--import', preload],
  );
  if (run.code !== 0) throw new Error(`the long run failed:\n${run.log}`);
  const calls = creds.vertex.record().calls;
  const bad = calls.filter((c) => c.code !== 0);
  if (bad.length) throw new Error(`${bad.length} Vertex calls failed: ${JSON.stringify(bad[0])}`);
  const issued = new Map(
    [...creds.auth.sts.issued, ...creds.auth.iam.issued].map((t) => [t.token, t]),
  );
  const expiredWhenUsed = calls.filter(
    (c) => !(Date.parse(c.time) < (issued.get(c.token ?? '')?.expiresAt ?? 0)),
  );
  const createdAt = Date.parse(calls.find((c) => c.method === 'CreateCustomJob')!.time);
  const endedAt = Date.parse(calls.at(-1)!.time);
  const hours = (endedAt - createdAt) / 3_600_000;
  const during = (reqs: { time: number }[]) =>
    reqs.filter((r) => r.time > createdAt && r.time <= endedAt).length;
  const a = creds.auth;
  const waiting = during(a.oidc.requests) + during(a.sts.requests) + during(a.iam.requests);
  const total = a.oidc.requests.length + a.sts.requests.length + a.iam.requests.length;
  const times = a.oidc.requests.map((r) => r.time);
  const perRound = impersonate ? 3 : 2;
  const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 60_000);
  const gets = calls.filter((c) => c.method === 'GetCustomJob');
  const getGaps = gets
    .slice(1)
    .map((c, i) => (Date.parse(c.time) - Date.parse(gets[i]!.time)) / 1000);
  await creds.close();

  const title = impersonate ? 'WIF + impersonation' : 'WIF, STS token used directly';
  console.log(
    `\n## (b) Token requests while waiting, one-hour tokens: ${title} (clock x${RATE}, ${((endedAt - started) / RATE / 1000).toFixed(1)} s real)`,
  );
  console.log(`| figure | value |`);
  console.log('|---|---|');
  console.log(`| simulated wait (CreateCustomJob -> last GetCustomJob) | ${hours.toFixed(2)} h |`);
  console.log(
    `| Vertex RPCs / GetCustomJob polls | ${calls.length} / ${gets.length} (median poll gap ${median(getGaps).toFixed(0)} s simulated) |`,
  );
  console.log(
    `| distinct tokens used by Vertex RPCs | ${new Set(calls.map((c) => c.token)).size} |`,
  );
  console.log(`| RPCs made with an expired token | ${expiredWhenUsed.length} |`);
  console.log(
    `| token rounds (${impersonate ? 'OIDC+STS+IAM' : 'OIDC+STS'}) in all | ${a.oidc.requests.length} (${total} requests) |`,
  );
  console.log(`| token requests during the wait | ${waiting} |`);
  console.log(`| measured token requests per hour of waiting | ${(waiting / hours).toFixed(2)} |`);
  console.log(
    `| minutes between refreshes (median, simulated) | ${gaps.length ? median(gaps).toFixed(1) : '-'} |`,
  );
  console.log(
    `| steady state (${perRound} requests per refresh interval) | ${gaps.length ? ((perRound * 60) / median(gaps)).toFixed(2) : '-'} per hour |`,
  );
}

if (RUNS > 0) await startup();
if (SIM_HOURS > 0) {
  await tokensPerHour(true);
  await tokensPerHour(false);
}
