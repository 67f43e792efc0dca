// The licenses of the third-party code in a bundle, written beside it as licenses.txt at bundle
// time (so check-dist keeps it current). The packages are the ones webpack actually put in the
// bundle, read from ncc's module statistics: nothing installed but unused is listed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';

export const LICENSES_FILE = 'licenses.txt';

interface StatsModule {
  nameForCondition?: string;
  identifier?: string;
  modules?: StatsModule[];
}

/** The part of webpack's Stats that is read here (ncc returns the whole object). */
export interface BundleStats {
  toJson(options: object): { modules?: StatsModule[] };
}

export interface PackageLicense {
  name: string;
  version: string;
  /** The package.json `license` (SPDX expression), or `UNKNOWN`. */
  license: string;
  /** LICENSE, COPYING and NOTICE files, verbatim. */
  files: { name: string; text: string }[];
  /** package.json `author`, named when the package ships no license file. */
  author?: string;
}

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([-._].*)?$/i;
const PACKAGE_IN_PATH = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/;

/** The source file paths of every module in the bundle, nested (concatenated) ones included. */
export function bundledFiles(stats: BundleStats): string[] {
  const json = stats.toJson({ all: false, modules: true, nestedModules: true });
  const paths = new Set<string>();
  const walk = (modules: StatsModule[] | undefined) => {
    for (const m of modules ?? []) {
      // `identifier` carries loaders before a `!`; the resource is the last part.
      const path = m.nameForCondition ?? m.identifier?.split('!').pop();
      if (path) paths.add(path.split('?')[0]);
      walk(m.modules);
    }
  };
  walk(json.modules);
  return [...paths];
}

/** The installed package directories those files belong to (a nested copy is its own). */
export function packageDirs(files: string[]): string[] {
  const dirs = new Set<string>();
  for (const file of files) {
    // The innermost node_modules/NAME wins: greedy `.*` reaches the last one.
    const match = PACKAGE_IN_PATH.exec(file);
    if (match) dirs.add(match[1]);
  }
  return [...dirs];
}

function spdx(license: unknown): string {
  if (typeof license === 'string' && license) return license;
  if (license && typeof license === 'object' && 'type' in license) return String(license.type);
  return 'UNKNOWN';
}

export function readPackageLicense(dir: string): PackageLicense {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name?: string;
    version?: string;
    license?: unknown;
    licenses?: unknown[];
    author?: string | { name?: string };
  };
  const license =
    pkg.license !== undefined
      ? spdx(pkg.license)
      : (pkg.licenses ?? []).map(spdx).join(' OR ') || 'UNKNOWN';
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && LICENSE_FILE.test(e.name))
    .map((e) => e.name)
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8').trim() }));
  const author = typeof pkg.author === 'string' ? pkg.author : pkg.author?.name;
  return {
    name: pkg.name ?? dir.split(sep).pop()!,
    version: pkg.version ?? '',
    license,
    files,
    ...(author ? { author } : {}),
  };
}

const RULE = '-'.repeat(78);

/**
 * One entry per distinct license text, naming every package that ships it; packages sorted by
 * name, so the file is the same however the bundler ordered its modules.
 */
export function renderLicenses(packages: PackageLicense[]): string {
  const unique = new Map(packages.map((p) => [`${p.name}@${p.version}`, p]));
  const sorted = [...unique.values()].sort(
    (a, b) => a.name.localeCompare(b.name, 'en') || a.version.localeCompare(b.version, 'en'),
  );
  const groups = new Map<string, { license: string; names: string[]; body: string }>();
  for (const p of sorted) {
    const body = p.files.length
      ? p.files.map((f) => (p.files.length > 1 ? `${f.name}:\n\n${f.text}` : f.text)).join('\n\n')
      : `The package ships no license file; its package.json declares ${p.license}` +
        (p.author ? `, author ${p.author}.` : '.');
    const key = `${p.license}\n${body}`;
    const group = groups.get(key) ?? { license: p.license, names: [], body };
    group.names.push(`${p.name}@${p.version}`);
    groups.set(key, group);
  }
  const header = [
    'Third-party software bundled in this directory, and its licenses.',
    'Written by scripts/bundle.mjs from the modules in the bundle; do not edit.',
    '',
    `${sorted.length} packages:`,
    ...sorted.map((p) => `  ${p.name}@${p.version} (${p.license})`),
  ].join('\n');
  const entries = [...groups.values()].map((g) =>
    [RULE, g.names.join(', '), `License: ${g.license}`, '', g.body].join('\n'),
  );
  return `${[header, ...entries].join('\n\n')}\n`;
}

/** Writes `outDir/licenses.txt` for the bundle whose ncc statistics are `stats`. */
export async function writeThirdPartyLicenses(outDir: string, stats: BundleStats): Promise<void> {
  const dirs = packageDirs(bundledFiles(stats)).filter((d) => existsSync(join(d, 'package.json')));
  const text = renderLicenses(dirs.map(readPackageLicense));
  await writeFile(join(outDir, LICENSES_FILE), text);
}
