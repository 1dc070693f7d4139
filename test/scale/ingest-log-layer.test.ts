/**
 * The ingestion log is server-side plumbing between the collector and the store: it may use core and
 * store, never the server, the CLI, the web app or the SDK (the server and the CLI use it, not the reverse).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, '..', '..', 'src', 'ingest-log');

describe('ingest-log layer', () => {
  it('imports only core, store and libraries', () => {
    const bad: string[] = [];
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1] as string;
        if (!spec.startsWith('.')) continue;
        if (!/^\.\/|^\.\.\/(core|store)\//.test(spec)) bad.push(`${f} imports ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
