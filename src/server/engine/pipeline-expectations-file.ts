/**
 * @module
 * The expectations file of `faultline serve --expectations FILE`: read at start (a bad file stops the start with
 * its located errors), then watched — each change is read again after a short quiet period, and a bad version
 * keeps the previous expectations in force and logs its located errors.
 */
import { type FSWatcher, readFileSync, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatIssues, parseExpectationsYaml } from '../../core/expectations/parse.js';
import type { ExpectationsFile } from '../../core/expectations/schema.js';
import type { ExpectationRegistry } from './pipeline-expectations.js';

export type ExpectationsRead = { ok: true; file: ExpectationsFile } | { ok: false; error: string };

/** Reads and validates an expectations file (YAML, or JSON which YAML reads too). */
export function readExpectationsFile(path: string): ExpectationsRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, error: `${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  const r = parseExpectationsYaml(text, path);
  return r.ok ? { ok: true, file: r.file } : { ok: false, error: formatIssues(r.issues) };
}

export interface ExpectationsWatch {
  close(): void;
}

/**
 * Loads `path` into the registry now (throwing an Error with the located problems when it is bad) and reloads it
 * on change. The folder is watched, not the file, so editors that save by renaming are seen too.
 */
export function watchExpectationsFile(
  path: string,
  registry: ExpectationRegistry,
  options: { nowMs: () => number; log: (line: string) => void; debounceMs?: number; onReload?: () => void },
): ExpectationsWatch {
  const full = resolve(path);
  const first = readExpectationsFile(full);
  if (!first.ok) throw new Error(first.error);
  registry.setFile(first.file, { path: full, loadedAtMs: options.nowMs(), error: null });
  const debounceMs = options.debounceMs ?? 250;
  let timer: NodeJS.Timeout | null = null;
  let last = readFileSync(full, 'utf8');
  const reload = () => {
    timer = null;
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch {
      return; // Mid-rename: the next event brings the new file.
    }
    if (text === last) return;
    last = text;
    const r = readExpectationsFile(full);
    if (r.ok) {
      registry.setFile(r.file, { path: full, loadedAtMs: options.nowMs(), error: null });
      options.log(`expectations reloaded from ${full}`);
      options.onReload?.();
    } else {
      registry.setFileError(r.error);
      options.log(
        `expectations file ${full} not reloaded, the previous expectations stay in force:\n${r.error}`,
      );
    }
  };
  const name = basename(full);
  const watcher: FSWatcher = watch(dirname(full), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
  });
  return {
    close() {
      if (timer !== null) clearTimeout(timer);
      watcher.close();
    },
  };
}
