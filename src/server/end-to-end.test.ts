/**
 * The whole path with real processes:
 * 1. `faultline serve` on a new store prints an admin token once and its URL.
 * 2. `faultline token create` (another process, same file) makes an ingest token.
 * 3. A Node program using the SDK and a Python program using the client report to the collector.
 * 4. Everything shows in the query API; a restart prints no new admin token.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'));
const db = join(dir, 'collector.db');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const cliEntry = `const { main } = await import(${JSON.stringify(join(repo, 'src/cli/main.ts'))}); process.exitCode = await main(['node', 'faultline', ...process.argv.slice(1)]);`;

/** Runs a command to its end; resolves with its exit code and output. */
function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: repo, env: { ...process.env, ...env } });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const faultline = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', cliEntry, ...args]);

/** Starts `faultline serve` and resolves once it listens, with everything it printed so far. */
function serve(): Promise<{ child: ChildProcess; url: string; out: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', cliEntry, 'serve', '--db', db, '--port', '0'],
    { cwd: repo, env: { ...process.env, FAULTLINE_ADMIN_TOKEN: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve({ child, url: m[1], out });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
}

async function stop(child: ChildProcess): Promise<number | null> {
  child.kill('SIGTERM');
  return new Promise((r) => child.once('exit', (code) => r(code)));
}

describe('faultline serve with the Node SDK and the Python client', () => {
  it('takes reports from both and answers them in the query API', async () => {
    const first = await serve();
    const admin = /admin token for project "default" \(shown once, keep it safe\):\n(flt_\S+)/.exec(
      first.out,
    )?.[1];
    expect(admin).toBeDefined();

    const created = await faultline(
      'token',
      'create',
      '--project',
      'default',
      '--role',
      'ingest',
      '--db',
      db,
      '--label',
      'e2e',
    );
    expect(created.code).toBe(0);
    const ingest = created.out.trim();
    expect(ingest).toMatch(/^flt_/);
    expect(created.err).toContain('shown only once');

    const nodeScript = join(dir, 'node-app.mjs');
    writeFileSync(
      nodeScript,
      `const { createMonitor } = await import(${JSON.stringify(join(repo, 'src/sdk/index.ts'))});
const m = createMonitor({ url: process.env.URL, token: process.env.TOKEN, model: 'churn', version: 'v1',
  artifactHash: 'sha256:node', instance: 'node-1', heartbeatIntervalMs: 60000 });
const predict = m.wrap((x) => ({ class: x > 5 ? 'churn' : 'stay' }), { features: (x) => ({ x }), output: (r) => r, id: (x) => 'n' + x });
for (let i = 0; i < 10; i++) predict(i);
m.label('n7', 'churn');
await m.close();
console.log(JSON.stringify(m.stats()));
`,
    );
    const node = await run(process.execPath, ['--import', 'tsx', nodeScript], {
      URL: first.url,
      TOKEN: ingest,
    });
    expect(node.err).toBe('');
    expect(JSON.parse(node.out)).toMatchObject({ sent: 11, dropped: {} });

    const pyScript = join(dir, 'py_app.py');
    writeFileSync(
      pyScript,
      `import json, os
from faultline_client import Monitor
m = Monitor(os.environ["URL"], os.environ["TOKEN"], model="churn", version="v1", artifact_hash="sha256:py", instance="py-1")
for i in range(10):
    m.log({"x": i}, output={"class": "stay"}, id="p%d" % i, latency_ms=1.0)
m.close()
print(json.dumps(m.stats()))
`,
    );
    const py = await run('python3', [pyScript], {
      URL: first.url,
      TOKEN: ingest,
      PYTHONPATH: join(repo, 'clients', 'python'),
      PYTHONDONTWRITEBYTECODE: '1',
    });
    expect(py.err).toBe('');
    expect(JSON.parse(py.out)).toMatchObject({ sent: 10, dropped: {} });

    const get = async (path: string) =>
      (await fetch(`${first.url}${path}`, { headers: { authorization: `Bearer ${admin}` } })).json();
    const predictions = await get('/v1/models/churn/predictions?limit=100');
    expect(predictions.predictions).toHaveLength(20);
    const windows = await get('/v1/models/churn/windows');
    const total = windows.windows.reduce((n: number, w: { predictions: number }) => n + w.predictions, 0);
    expect(total).toBe(20);
    const hashes = Object.assign(
      {},
      ...windows.windows.map((w: { artifactHashes: object }) => w.artifactHashes),
    );
    expect(Object.keys(hashes).sort()).toEqual(['sha256:node', 'sha256:py']);
    expect((await get('/v1/models/churn/predictions/n7')).label).toMatchObject({ value: 'churn' });
    const instances = await get('/v1/instances');
    expect(instances.instances.map((i: { instance: string }) => i.instance).sort()).toEqual([
      'node-1',
      'py-1',
    ]);
    const forbidden = await fetch(`${first.url}/v1/models`, {
      headers: { authorization: `Bearer ${ingest}` },
    });
    expect(forbidden.status).toBe(403);
    expect(await stop(first.child)).toBe(0);

    const second = await serve();
    expect(second.out).not.toContain('admin token');
    expect(await stop(second.child)).toBe(0);
  }, 120_000);

  it('answers a bad setting with exit code 2, the flag and the variable', async () => {
    const bad = await faultline('serve', '--db', db, '--port', '99999');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--port / FAULTLINE_PORT');
    const role = await faultline('token', 'create', '--project', 'default', '--role', 'root', '--db', db);
    expect(role.code).toBe(2);
    expect(role.err).toMatch(/unknown role "root"[\s\S]*hint: use one of: ingest, read, admin/);
  }, 60_000);
});
