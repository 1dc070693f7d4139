import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { collectFingerprint, readTemperatureC, runSelfChecks } from './environment.js';
import { RingBuffer } from './ring-buffer.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTemperatureC', () => {
  it('reads the hottest thermal zone in °C and skips unreadable ones', async () => {
    const base = join(dir, 'thermal');
    for (const [zone, milli] of [
      ['thermal_zone0', '45000'],
      ['thermal_zone1', '61500\n'],
      ['thermal_zone2', 'garbage'],
    ] as const) {
      mkdirSync(join(base, zone), { recursive: true });
      writeFileSync(join(base, zone, 'temp'), milli);
    }
    mkdirSync(join(base, 'thermal_zone3'));
    mkdirSync(join(base, 'cooling_device0'));
    expect(await readTemperatureC(base)).toBe(61.5);
  });

  it('answers null where /sys/class/thermal does not exist', async () => {
    expect(await readTemperatureC(join(dir, 'nope'))).toBeNull();
  });
});

describe('collectFingerprint', () => {
  it('hashes the lock file and reads installed package versions', async () => {
    const root = join(dir, 'app');
    mkdirSync(join(root, 'node_modules', 'onnxruntime-node'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'onnxruntime-node', 'package.json'), '{"version":"1.17.3"}');
    writeFileSync(join(root, 'package-lock.json'), 'abc');
    const fp = await collectFingerprint({ root, packages: ['onnxruntime-node'] });
    // sha-256 of "abc" (FIPS 180-2 example).
    expect(fp.lockfileHash).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(fp.packages).toEqual({ 'onnxruntime-node': '1.17.3' });
    expect(fp.runtime).toBe(`node ${process.version}`);
  });
});

describe('runSelfChecks', () => {
  it('reports unreadable model files and failing custom checks without throwing', async () => {
    const checks = await runSelfChecks({
      modelPath: join(dir, 'no-model.bin'),
      writablePaths: [dir],
      custom: {
        throws: () => {
          throw new Error('boom');
        },
        fine: async () => true,
      },
    });
    expect(checks).toEqual([
      { name: 'read_model', ok: false, detail: expect.stringContaining('ENOENT') },
      { name: `write:${dir}`, ok: true, detail: dir },
      { name: 'throws', ok: false, detail: 'boom' },
      { name: 'fine', ok: true },
    ]);
  });
});

describe('RingBuffer', () => {
  it('is a bounded FIFO that refuses items when full', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 100 }).map((v) => ({ push: v })),
            fc.nat(5).map((n) => ({ take: n })),
          ),
        ),
        (capacity, ops) => {
          const ring = new RingBuffer<number>(capacity);
          const model: number[] = [];
          for (const op of ops) {
            if ('push' in op)
              expect(ring.push(op.push)).toBe(model.length < capacity && model.push(op.push) > 0);
            else expect(ring.take(op.take)).toEqual(model.splice(0, op.take));
            expect(ring.size).toBe(model.length);
          }
        },
      ),
    );
  });
});
