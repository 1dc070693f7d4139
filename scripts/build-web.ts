/**
 * Builds the dashboard: bundles `src/web/main.ts` and `src/web/styles.css` (with uPlot's stylesheet) with
 * esbuild into `dist/web/assets/` under content-hashed names, copies the icon, and writes `dist/web/index.html`
 * linking them. The page has no inline script or style, so the collector can serve it under a strict
 * Content-Security-Policy. Run as `tsx scripts/build-web.ts` (part of `npm run build`).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface WebBuildResult {
  outDir: string;
  /** Asset file names (under `assets/`) with their sizes in bytes. */
  assets: { file: string; bytes: number }[];
  ms: number;
}

/** Bundles the dashboard into `outDir` (default `dist/web`), replacing what was there. */
export async function buildWeb(options: { outDir?: string; minify?: boolean } = {}): Promise<WebBuildResult> {
  const t0 = performance.now();
  const outDir = options.outDir ?? join(root, 'dist', 'web');
  const assetsDir = join(outDir, 'assets');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(assetsDir, { recursive: true });
  const result = await build({
    entryPoints: { app: join(root, 'src/web/main.ts'), style: join(root, 'src/web/styles.css') },
    bundle: true,
    minify: options.minify ?? true,
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    platform: 'browser',
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    // Pages loaded on first use become their own chunks.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    metafile: true,
    logLevel: 'silent',
  });
  const assets: WebBuildResult['assets'] = [];
  let script = '';
  let style = '';
  for (const [path, out] of Object.entries(result.metafile.outputs)) {
    const file = basename(path);
    assets.push({ file, bytes: out.bytes });
    if (file.endsWith('.js') && out.entryPoint?.endsWith('main.ts')) script = file;
    if (file.endsWith('.css') && out.entryPoint?.endsWith('styles.css')) style = file;
  }
  if (!script || !style) throw new Error('web build: the bundle has no script or stylesheet entry');
  // Precompressed copies: the collector sends them to clients that accept gzip.
  for (const a of assets)
    if (/\.(js|css)$/.test(a.file)) {
      const path = join(assetsDir, a.file);
      writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
    }
  copyFileSync(join(root, 'src/web/favicon.svg'), join(outDir, 'favicon.svg'));
  const html = readFileSync(join(root, 'src/web/index.html'), 'utf8')
    .replace('%STYLE%', `assets/${style}`)
    .replace('%SCRIPT%', `assets/${script}`);
  writeFileSync(join(outDir, 'index.html'), html);
  return { outDir, assets, ms: performance.now() - t0 };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await buildWeb();
  for (const a of r.assets.filter((x) => !x.file.endsWith('.map')))
    process.stdout.write(
      `  ${relative(root, join(r.outDir, 'assets', a.file))}  ${(a.bytes / 1024).toFixed(1)} KB\n`,
    );
  process.stdout.write(`dashboard built in ${r.ms.toFixed(0)} ms\n`);
}
