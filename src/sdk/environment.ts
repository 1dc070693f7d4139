/**
 * What the SDK reports about the process it runs in: an environment fingerprint (runtime, OS, the
 * lock-file hash and the versions of the packages that matter), host metrics (CPU, memory, load,
 * temperature where /sys/class/thermal is readable) and start-up self-checks (can read the model file,
 * can write the output folders). Every probe is best effort: a failure leaves the field out.
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access, readdir, readFile } from 'node:fs/promises';
import { arch, cpus, freemem, loadavg, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Fingerprint, SelfCheck } from '../core/contract/index.js';

const LOCKFILES = [
  'package-lock.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'requirements.txt',
  'poetry.lock',
];

export interface FingerprintOptions {
  /** Folder to look for a lock file and `node_modules` in; defaults to the working directory. */
  root?: string;
  /** A lock file to hash instead of the first one found in `root`. */
  lockfilePath?: string;
  /** Packages whose installed versions belong in the fingerprint (e.g. `onnxruntime-node`). */
  packages?: readonly string[];
}

/** The environment fingerprint of this process. */
export async function collectFingerprint(options: FingerprintOptions = {}): Promise<Fingerprint> {
  const root = options.root ?? process.cwd();
  const fp: Fingerprint = {
    runtime: `node ${process.version}`,
    os: `${platform()} ${release()}`,
    arch: arch(),
  };
  const candidates = options.lockfilePath ? [options.lockfilePath] : LOCKFILES.map((f) => join(root, f));
  for (const path of candidates) {
    try {
      fp.lockfileHash = `sha256:${createHash('sha256')
        .update(await readFile(path))
        .digest('hex')}`;
      break;
    } catch {
      // not this one
    }
  }
  if (options.packages && options.packages.length > 0) {
    const packages: Record<string, string> = {};
    for (const name of options.packages) {
      try {
        const pkg = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
          version?: string;
        };
        packages[name] = pkg.version ?? 'unknown';
      } catch {
        packages[name] = 'missing';
      }
    }
    fp.packages = packages;
  }
  return fp;
}

/** Highest temperature over the thermal zones, in °C, or null where none is readable. */
export async function readTemperatureC(base = '/sys/class/thermal'): Promise<number | null> {
  let zones: string[];
  try {
    zones = (await readdir(base)).filter((z) => z.startsWith('thermal_zone'));
  } catch {
    return null;
  }
  let max: number | null = null;
  for (const zone of zones) {
    try {
      const milli = Number((await readFile(join(base, zone, 'temp'), 'utf8')).trim());
      if (Number.isFinite(milli) && (max === null || milli / 1000 > max)) max = milli / 1000;
    } catch {
      // unreadable zone
    }
  }
  return max;
}

interface CpuSnapshot {
  idle: number;
  total: number;
  process: NodeJS.CpuUsage;
  wallMs: number;
}

function cpuSnapshot(): CpuSnapshot {
  let idle = 0;
  let total = 0;
  for (const c of cpus()) {
    idle += c.times.idle;
    total += c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
  }
  return { idle, total, process: process.cpuUsage(), wallMs: performance.now() };
}

/** Host metrics since the previous call (CPU shares are over that interval). */
export function createHostSampler(thermalBase?: string): () => Promise<Record<string, number | null>> {
  let last = cpuSnapshot();
  return async () => {
    const now = cpuSnapshot();
    const total = now.total - last.total;
    const idle = now.idle - last.idle;
    const wallMs = now.wallMs - last.wallMs;
    const procMicros = now.process.user - last.process.user + (now.process.system - last.process.system);
    last = now;
    const mem = process.memoryUsage();
    return {
      cpuPercent: total > 0 ? (100 * (total - idle)) / total : null,
      processCpuPercent: wallMs > 0 ? procMicros / 10 / wallMs : null,
      load1: loadavg()[0] ?? null,
      memoryUsedBytes: totalmem() - freemem(),
      memoryTotalBytes: totalmem(),
      processRssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      temperatureC: await readTemperatureC(thermalBase),
    };
  };
}

export interface SelfCheckOptions {
  /** The model file the process must be able to read. */
  modelPath?: string;
  /** Folders the process must be able to write. */
  writablePaths?: readonly string[];
  /** Further checks by name; a thrown error or `false` fails the check. */
  custom?: Record<string, () => boolean | Promise<boolean>>;
}

/** Runs the start-up self-checks; never throws. */
export async function runSelfChecks(options: SelfCheckOptions): Promise<SelfCheck[]> {
  const out: SelfCheck[] = [];
  const probe = async (name: string, path: string, mode: number) => {
    try {
      await access(path, mode);
      out.push({ name, ok: true, detail: path });
    } catch (e) {
      out.push({ name, ok: false, detail: `${(e as NodeJS.ErrnoException).code ?? 'error'}: ${path}` });
    }
  };
  if (options.modelPath !== undefined) await probe('read_model', options.modelPath, constants.R_OK);
  for (const p of options.writablePaths ?? []) await probe(`write:${p}`, p, constants.W_OK);
  for (const [name, check] of Object.entries(options.custom ?? {})) {
    try {
      const ok = await check();
      out.push({ name, ok: ok === true });
    } catch (e) {
      out.push({ name, ok: false, detail: String((e as Error)?.message ?? e) });
    }
  }
  return out;
}
