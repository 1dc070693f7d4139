/**
 * Keeps the dependency direction of the architecture honest:
 * core imports nothing of ours outside core and does no I/O; the sdk imports only core/contract;
 * store never imports server, cli, web or sdk; server never imports cli, web or sdk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.ts$/.test(name)) out.push(p);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  const re = /(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2]) as string);
  return found;
}

/** Drops block and line comments, so a doc comment that says "never calls Math.random()" is not a call. */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
}

function layerOf(file: string): string {
  return relative(root, file).split(/[\\/]/)[0] ?? '';
}

const forbidden: Record<string, string[]> = {
  core: ['store', 'server', 'cli', 'web', 'sdk', 'io'],
  store: ['server', 'cli', 'web', 'sdk'],
  server: ['cli', 'web', 'sdk'],
  sdk: ['store', 'server', 'cli', 'web', 'io'],
  web: ['store', 'server', 'cli', 'sdk', 'io'],
  io: ['store', 'server', 'cli', 'web', 'sdk'],
};

describe('layers', () => {
  const files = sourceFiles(root);

  it('core does no I/O and never reads the clock or Math.random', () => {
    const bad: string[] = [];
    for (const f of files.filter((f) => layerOf(f) === 'core')) {
      for (const spec of importsOf(f))
        if (spec.startsWith('node:') || /^(fs|path|os|http|net|child_process)$/.test(spec))
          bad.push(`${relative(root, f)} imports ${spec}`);
      const text = stripComments(readFileSync(f, 'utf8'));
      if (/\bDate\.now\(|\bMath\.random\(|\bfetch\(/.test(text))
        bad.push(`${relative(root, f)} reads the clock, randomness or network`);
    }
    expect(bad).toEqual([]);
  });

  it('imports point down the layers', () => {
    const bad: string[] = [];
    for (const f of files) {
      const layer = layerOf(f);
      for (const spec of importsOf(f)) {
        if (!spec.startsWith('.')) continue;
        const target = layerOf(join(f, '..', spec));
        if (forbidden[layer]?.includes(target))
          bad.push(`${relative(root, f)} (${layer}) imports ${spec} (${target})`);
        if (layer === 'sdk' && target === 'core' && !join(f, '..', spec).includes(join('core', 'contract')))
          bad.push(`${relative(root, f)}: the sdk may import only core/contract`);
      }
    }
    expect(bad).toEqual([]);
  });
});
