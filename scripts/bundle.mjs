// Builds the committed bundles: dist/main, dist/post and dist/cli, one ESM file each
// (plus any assets ncc relocates). Usage: node scripts/bundle.mjs [OUT_DIR [ENTRY...]]
import { readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import ncc from '@vercel/ncc';
import { minify } from 'terser';
import { writeThirdPartyLicenses } from './third-party-licenses.ts';

const entries = { main: 'src/main.ts', post: 'src/post.ts', cli: 'src/cli/index.ts' };
const [outRoot = 'dist', ...only] = process.argv.slice(2);

// google-gax and protobufjs reach for CommonJS globals; an ESM bundle has none.
const cjsShim = [
  "import { createRequire as __wbvlCreateRequire } from 'node:module';",
  "import { fileURLToPath as __wbvlFileURLToPath } from 'node:url';",
  "import { dirname as __wbvlDirname } from 'node:path';",
  'const require = __wbvlCreateRequire(import.meta.url);',
  'const __filename = __wbvlFileURLToPath(import.meta.url);',
  'const __dirname = __wbvlDirname(__filename);',
].join('\n');

// @google-cloud/aiplatform's JobServiceClient requires the package's whole protos.json (4 MB,
// inlined by ncc as a 1.5 MB JSON.parse literal, parsed when the client module loads), though
// src/vertex/connection.ts hands the client a generated subset instead. The inlined copy is
// replaced by a stub that only says which package it stood for (the client checks nothing
// else before the subset takes its place). Found by value, not by position, so a change in
// ncc's output fails the bundle build instead of shipping the file again.
const shippedProtos = JSON.stringify(
  JSON.parse(
    readFileSync(
      createRequire(import.meta.url).resolve('@google-cloud/aiplatform/build/protos/protos.json'),
      'utf8',
    ),
  ),
);
const PROTOS_PREFIX = `JSON.parse('{"nested":{"google":{"nested":{"cloud":{"nested":{"aiplatform":`;
const PROTOS_STUB = `JSON.parse('{"nested":{"google":{"nested":{"cloud":{"nested":{"aiplatform":{"nested":{}}}}}}}}')`;

function dropShippedProtos(source) {
  let out = source;
  let dropped = 0;
  for (let at = out.indexOf(PROTOS_PREFIX); at >= 0; at = out.indexOf(PROTOS_PREFIX, at + 1)) {
    const literalStart = at + 'JSON.parse('.length;
    let end = literalStart + 1;
    while (out[end] !== "'") end += out[end] === '\\' ? 2 : 1;
    const text = runInNewContext(out.slice(literalStart, end + 1));
    if (JSON.stringify(JSON.parse(text)) !== shippedProtos) continue; // the generated subset
    out = out.slice(0, at) + PROTOS_STUB + out.slice(end + 2);
    dropped++;
  }
  return { source: out, dropped };
}

// A step is a short burst of start-up work followed by hours of mostly waiting on the network,
// so two V8 defaults buy nothing but resident memory: the young generation growing to its full
// size (about 12 MiB of the peak) and optimizing compilers whose compile zones cost another
// 6 MiB for code that runs a few times. Both flags are read when used, so setting them first
// thing in the bundle is enough. Ignition and Sparkplug still run everything.
const leanHeap =
  "import { setFlagsFromString as __wbvlV8Flags } from 'node:v8';\n" +
  "__wbvlV8Flags('--semi-space-growth-factor=1');\n__wbvlV8Flags('--no-opt');";

async function minifyChunk(code) {
  const result = await minify(code, {
    module: true,
    compress: true,
    mangle: true,
    keep_classnames: true,
    keep_fnames: true,
    format: { comments: false },
  });
  return result.code;
}

for (const [name, input] of Object.entries(entries)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const out = join(outRoot, name);
  await rm(out, { recursive: true, force: true });
  const { code, assets, stats } = await ncc(resolve(input), {
    // No build cache: a cached build's statistics can miss modules, and licenses.txt is made
    // from them; every build must come out the same from the same sources.
    cache: false,
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2023',
  });
  const shebang = name === 'cli' ? '#!/usr/bin/env node\n' : '';
  const body = code.startsWith('#!') ? code.slice(code.indexOf('\n') + 1) : code;
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.js'), `${shebang}${cjsShim}\n${leanHeap}\n${body}`, {
    mode: name === 'cli' ? 0o755 : 0o644,
  });
  let protosDropped = 0;
  for (const [file, asset] of Object.entries(assets)) {
    await mkdir(dirname(join(out, file)), { recursive: true });
    // Lazily loaded chunks are ES modules of their own: each needs the shim too.
    const isChunk = /^\d+\.index\.js$/.test(file);
    let source = asset.source;
    if (isChunk) {
      const lean = dropShippedProtos(String(asset.source));
      protosDropped += lean.dropped;
      // ncc minifies the entry file only; its lazily loaded chunks are minified here.
      source = `${cjsShim}\n${await minifyChunk(lean.source)}`;
    }
    await writeFile(join(out, file), source, { mode: asset.permissions });
  }
  if (
    /JobServiceClient/.test(body) ||
    Object.values(assets).some((a) => /class JobServiceClient/.test(String(a.source)))
  ) {
    if (protosDropped !== 1)
      throw new Error(
        `${name}: expected to replace the client's protos.json once, replaced it ${protosDropped} times`,
      );
  }
  await writeThirdPartyLicenses(out, stats);
  console.log(`${out}/index.js  ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`);
}
