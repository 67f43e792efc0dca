// Start-up cost of `wb-vertex-launch plan` on the example config, against `node -e ''` on the
// same Node binary: wall time and peak memory (maxRSS), interleaved runs, medians and ratios
// measured in one run. Usage: node bench/startup.ts [RUNS] [CLI_BUNDLE]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 20);
const cli = process.argv[3] ?? 'dist/cli/index.js';
const node = process.execPath;
const work = mkdtempSync(join(tmpdir(), 'wbvl-startup-'));
// Each measured process reports its own peak RSS on exit, the same way for both commands.
const probe = `data:text/javascript,import{writeFileSync}from'node:fs';process.on('exit',()=>writeFileSync(process.env.RSS_FILE,String(process.resourceUsage().maxRSS)))`;

interface Sample {
  ms: number;
  rssKiB: number;
}

function measure(args: string[], i: number): Sample {
  const rssFile = join(work, `rss-${i}`);
  const started = process.hrtime.bigint();
  const result = spawnSync(node, ['--import', probe, ...args], {
    env: { PATH: process.env.PATH, RSS_FILE: rssFile },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, rssKiB: Number(readFileSync(rssFile, 'utf8')) };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const plan = [
  cli,
  'plan',
  '--queue-config',
  'examples/queue-config.yaml',
  '--project',
  'my-project-123',
  '--region',
  'us-central1',
  '--image',
  'us-docker.pkg.dev/my-project-123/repo/trainer:1',
];
const floor = ['-e', ''];
measure(plan, -1); // warm the file cache
const samples = { plan: [] as Sample[], floor: [] as Sample[] };
for (let i = 0; i < runs; i++) {
  samples.floor.push(measure(floor, i * 2));
  samples.plan.push(measure(plan, i * 2 + 1));
}
rmSync(work, { recursive: true, force: true });

const row = (name: string, s: Sample[]) => ({
  name,
  ms: median(s.map((x) => x.ms)),
  rss: median(s.map((x) => x.rssKiB)),
});
const p = row('plan (dist/cli)', samples.plan);
const f = row("node -e ''", samples.floor);
console.log(`Node ${process.version}, ${runs} interleaved runs each, medians`);
console.log(`| command | wall ms | peak RSS MiB |`);
console.log(`|---|---|---|`);
for (const r of [p, f])
  console.log(`| ${r.name} | ${r.ms.toFixed(1)} | ${(r.rss / 1024).toFixed(1)} |`);
console.log(
  `ratio plan / floor: wall ${(p.ms / f.ms).toFixed(2)}x, peak memory ${(p.rss / f.rss).toFixed(2)}x`,
);
