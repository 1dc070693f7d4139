/**
 * Real `faultline` processes for scale tests and the scale bench: each runs the CLI from the TypeScript
 * sources in its own Node process, and resolves once it printed the line that says it is ready.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '..', '..');

export interface FaultlineProcess {
  child: ChildProcess;
  /** What matched the ready pattern. */
  ready: RegExpExecArray;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const started: ChildProcess[] = [];

/** Kills (SIGKILL) every process started here that is still running. */
export function killAll(): void {
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Starts `faultline <args>` and waits until its stdout matches `ready`. */
export function startFaultline(
  args: string[],
  ready: RegExp,
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<FaultlineProcess> {
  const entry = `const { main } = await import(${JSON.stringify(join(REPO, 'src/cli/main.ts'))}); process.exitCode = await main(['node', 'faultline', ...process.argv.slice(1)]);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`faultline ${args[0]} did not start:\n${out}\n${err}`)),
      timeoutMs,
    );
    const check = () => {
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve({ child, ready: m, stdout: () => out, stderr: () => err, exited });
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`faultline ${args[0]} exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Starts a collector (`serve --port 0`) and resolves with its URL. */
export async function startCollectorProcess(
  db: string,
  ingest: string | null,
  env: Record<string, string>,
  extra: string[] = [],
): Promise<FaultlineProcess & { url: string }> {
  const p = await startFaultline(
    [
      'serve',
      '--db',
      db,
      ...(ingest ? ['--ingest', ingest] : []),
      '--port',
      '0',
      '--project',
      'acme',
      ...extra,
    ],
    /listening on (http:\/\/\S+)/,
    env,
  );
  return { ...p, url: p.ready[1] as string };
}

/** Starts a worker and resolves once it has joined the consumer group. */
export function startWorkerProcess(
  db: string,
  ingest: string,
  name: string,
  extra: string[] = [],
): Promise<FaultlineProcess> {
  return startFaultline(
    ['worker', '--db', db, '--ingest', ingest, '--name', name, ...extra],
    /consuming \S+ into/,
  );
}
