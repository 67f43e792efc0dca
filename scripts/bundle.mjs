// Builds the committed bundles: dist/main, dist/post and dist/cli, one ESM file each
// (plus any assets ncc relocates). Usage: node scripts/bundle.mjs [OUT_DIR [ENTRY...]]
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
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
    minify: true,
    sourceMap: false,
    quiet: true,
    target: 'es2023',
  });
  const shebang = name === 'cli' ? '#!/usr/bin/env node\n' : '';
  const body = code.startsWith('#!') ? code.slice(code.indexOf('\n') + 1) : code;
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'index.js'), `${shebang}${cjsShim}\n${body}`, {
    mode: name === 'cli' ? 0o755 : 0o644,
  });
  for (const [file, asset] of Object.entries(assets)) {
    await mkdir(dirname(join(out, file)), { recursive: true });
    // Lazily loaded chunks are ES modules of their own: each needs the shim too.
    const isChunk = /^\d+\.index\.js$/.test(file);
    // ncc minifies the entry file only; its lazily loaded chunks are minified here.
    const source = isChunk
      ? `${cjsShim}\n${await minifyChunk(String(asset.source))}`
      : asset.source;
    await writeFile(join(out, file), source, { mode: asset.permissions });
  }
  await writeThirdPartyLicenses(out, stats);
  console.log(`${out}/index.js  ${(Buffer.byteLength(body) / 1024).toFixed(0)} KiB`);
}
