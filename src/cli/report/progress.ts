/**
 * @module
 * A progress bar on stderr for work longer than a second, only on a TTY: nothing is drawn during the first
 * second (quick runs stay quiet) and never when stderr is a file or a pipe.
 */

export interface Progress {
  /** Sets the current step and its completed fraction (0–1). */
  update(label: string, fraction: number): void;
  /** Clears the bar. */
  done(): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WriteStream;
  /** Draw at all (default: when the stream is a TTY). */
  enabled?: boolean;
  /** Milliseconds before the first draw. */
  delayMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

const BAR = 28;

/** Creates a progress bar; a no-op unless enabled (a TTY by default). */
export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.enabled ?? stream.isTTY === true;
  const now = options.now ?? (() => performance.now());
  const delay = options.delayMs ?? 1000;
  const start = now();
  let lastDraw = 0;
  let drawn = false;
  return {
    update(label, fraction) {
      if (!enabled) return;
      const t = now();
      if (t - start < delay || t - lastDraw < 100) return;
      lastDraw = t;
      const f = Math.max(0, Math.min(1, fraction));
      const filled = Math.round(f * BAR);
      const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(100 * f).toFixed(0).padStart(3)}% ${label}`;
      const columns = stream.columns ?? 80;
      stream.write(`\r${line.slice(0, columns - 1)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
