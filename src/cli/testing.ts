/** Test helper: runs the CLI in this process and captures what it printed. */
import { vi } from 'vitest';
import { main } from './main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Wall time of the run. */
  ms: number;
}

/** Runs `faultline <args>` through `main`, capturing stdout and stderr; `process.exitCode` is reset after. */
export async function runCli(args: readonly string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  const t0 = performance.now();
  try {
    const code = await main(['node', 'faultline', ...args]);
    return { code, stdout, stderr, ms: performance.now() - t0 };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}
