/** Small helpers shared by the bench files: timing and printing figures. */
export function time<T>(fn: () => T): { result: T; ms: number } {
  const t0 = process.hrtime.bigint();
  const result = fn();
  return { result, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

export async function timeAsync<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { result, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

/** Prints one figure as an aligned line: `  label ........ value unit`. */
export function figure(label: string, value: number, unit: string, digits = 1): void {
  const v = value >= 1000 ? Math.round(value).toLocaleString('en-US') : value.toFixed(digits);
  process.stdout.write(`  ${label.padEnd(56, ' ')} ${v.padStart(14)} ${unit}\n`);
}

export function mb(bytes: number): number {
  return bytes / (1024 * 1024);
}
