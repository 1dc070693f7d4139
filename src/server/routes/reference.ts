/**
 * Reference data sets of a model version (the data it was trained or validated on), uploaded as a CSV or
 * NDJSON file, or as a profile blob (.flp) built elsewhere, and kept as a mergeable profile plus a bounded
 * sample of rows. CSV goes through the same reader as `faultline report`, so both read a file alike.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ErrorBodySchema,
  FaultlineError,
  ReferenceInfoSchema,
  toIso,
  VersionParamsSchema,
} from '../../core/contract/index.js';
import { DatasetProfile } from '../../core/profile/dataset-profile.js';
import { decodeProfile, encodeProfile } from '../../core/profile/profile-codec.js';
import { summarizeProfile } from '../../core/profile/profile-summary.js';
import { seededRng } from '../../core/rng.js';
import { DataError } from '../../core/schema/data-error.js';
import { readTable } from '../../io/read-table.js';
import type { ReferenceRecord } from '../../store/store.js';
import { UnparsedLine } from '../batch.js';
import type { AppDeps } from '../deps.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';

const MEDIA_TYPES = ['text/csv', 'application/x-ndjson', 'application/octet-stream'] as const;

function invalid(message: string, hint?: string): FaultlineError {
  return new FaultlineError('registry.reference_invalid', message, hint === undefined ? {} : { hint });
}

/** Profiles a CSV body through the file reader (type detection as for `faultline report`). */
async function profileCsv(body: Buffer): Promise<DatasetProfile> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-ref-'));
  try {
    const file = join(dir, 'reference.csv');
    await writeFile(file, body);
    const table = await readTable(file);
    return DatasetProfile.empty({ rng: seededRng(1) }).addTable(table);
  } catch (e) {
    if (e instanceof DataError) throw invalid(e.message.replace(/^.*reference\.csv: /, 'CSV: '), e.hint);
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function profileNdjson(rows: unknown[]): DatasetProfile {
  const profile = DatasetProfile.empty({ rng: seededRng(1) });
  rows.forEach((row, i) => {
    if (row instanceof UnparsedLine) throw invalid(`NDJSON line ${row.line} is not JSON: ${row.reason}`);
    if (row === null || typeof row !== 'object' || Array.isArray(row))
      throw invalid(`NDJSON row ${i} is not an object`, 'send one JSON object per line');
    profile.addRow(row as Record<string, unknown>);
  });
  return profile;
}

function profileBlob(body: Buffer): DatasetProfile {
  try {
    return decodeProfile(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
  } catch (e) {
    throw invalid(`not a valid profile blob: ${(e as Error).message}`, 'build one with `faultline profile`');
  }
}

const ReferenceBodySchema = z.union([z.instanceof(Buffer), z.array(z.unknown())], {
  error: 'expected a CSV file, NDJSON rows or a profile blob',
});

export function referenceRoutes(deps: AppDeps): RouteSpec[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'PUT',
      url: '/v1/models/:model/versions/:version/reference',
      tag: 'registry',
      summary: 'Upload the reference data set of a version: CSV, NDJSON or a profile blob',
      description:
        'text/csv (header row), application/x-ndjson (one object per line) or application/octet-stream (a .flp profile). Stored as a profile and a bounded sample; replaces any earlier reference.',
      role: 'admin',
      params: VersionParamsSchema,
      body: ReferenceBodySchema,
      mediaTypes: MEDIA_TYPES,
      bodyLimit: deps.config.maxReferenceBytes ?? 64 * 1024 * 1024,
      bodyDoc: { schema: z.string(), description: 'the data file or profile blob' },
      responses: [
        { status: 200, description: 'stored', schema: ReferenceInfoSchema },
        { status: 400, description: 'the file cannot be read', schema: ErrorBodySchema },
        { status: 404, description: 'no such model or version', schema: ErrorBodySchema },
      ],
      handler: async ({ params, body, caller, request }) => {
        const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        const source =
          type === 'text/csv' ? 'csv' : type === 'application/octet-stream' ? 'profile' : 'ndjson';
        if (!(await store.getVersion(caller.project, params.model, params.version)))
          throw new FaultlineError(
            'registry.version_not_found',
            `model "${params.model}" has no version "${params.version}"`,
            {
              hint: `register it first with POST /v1/models/${params.model}/versions`,
            },
          );
        const profile =
          source === 'csv'
            ? await profileCsv(body as Buffer)
            : source === 'profile'
              ? profileBlob(body as Buffer)
              : profileNdjson(body as unknown[]);
        if (profile.rowCount === 0) throw invalid('the reference data set has no rows');
        const sample = profile.sample();
        const record: ReferenceRecord = {
          info: {
            rows: profile.rowCount,
            sampleRows: sample.length,
            columns: profile.columnNames(),
            source,
            uploadedAtMs: clock.now(),
          },
          profile: encodeProfile(profile),
          sample,
        };
        await store.putReference(caller.project, params.model, params.version, record);
        const { uploadedAtMs, ...info } = record.info;
        return { ...info, uploadedAt: toIso(uploadedAtMs) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/versions/:version/reference',
      tag: 'registry',
      summary: 'The reference of a version: summary and sample as JSON, or the profile blob',
      role: 'read',
      params: VersionParamsSchema,
      query: z.strictObject({
        format: z
          .enum(['summary', 'blob'])
          .default('summary')
          .describe('summary (JSON) or blob (.flp bytes)'),
      }),
      responses: [
        {
          status: 200,
          description: 'the reference',
          schema: z.object({
            info: ReferenceInfoSchema,
            profile: z.record(z.string(), z.unknown()),
            sample: z.array(z.record(z.string(), z.unknown())),
          }),
        },
        { status: 404, description: 'no reference for this version', schema: ErrorBodySchema },
      ],
      handler: async ({ params, query, caller, reply }) => {
        const ref = await store.getReference(caller.project, params.model, params.version);
        if (!ref)
          throw new FaultlineError(
            'registry.reference_not_found',
            `version "${params.version}" of model "${params.model}" has no reference data set`,
            { hint: `upload one with PUT /v1/models/${params.model}/versions/${params.version}/reference` },
          );
        if (query.format === 'blob') {
          reply.header('content-type', 'application/octet-stream');
          return Buffer.from(ref.profile.buffer, ref.profile.byteOffset, ref.profile.byteLength);
        }
        const { uploadedAtMs, ...info } = ref.info;
        return {
          info: { ...info, uploadedAt: toIso(uploadedAtMs) },
          profile: summarizeProfile(decodeProfile(ref.profile)),
          sample: ref.sample,
        };
      },
    }),
  ];
}
