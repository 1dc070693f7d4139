/**
 * Registry routes: models, versions (artifact hash, validation metrics, fingerprint, schema), the intended
 * deployment and reference data sets. Writes need the admin role; reads the read role.
 */

import {
  ErrorBodySchema,
  FaultlineError,
  IntendedHistorySchema,
  IntendedVersionSchema,
  ModelCreateSchema,
  ModelDetailSchema,
  ModelListSchema,
  ModelParamsSchema,
  ModelSchema,
  ModelVersionCreateSchema,
  ModelVersionSchema,
  toIso,
  VersionListSchema,
  VersionParamsSchema,
} from '../../core/contract/index.js';
import type { AppDeps } from '../deps.js';
import type { RouteSpec } from '../route-spec.js';
import { defineRoute } from '../route-spec.js';
import { modelToWire, versionToWire } from '../wire.js';
import { referenceRoutes } from './reference.js';

export function modelNotFound(model: string): FaultlineError {
  return new FaultlineError('registry.model_not_found', `model "${model}" does not exist in this project`, {
    hint: 'list models with GET /v1/models',
  });
}

export function registryRoutes(deps: AppDeps): RouteSpec[] {
  const { store, clock } = deps;
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/models',
      tag: 'registry',
      summary: 'Create a model, or update its settings (window size, bucket size, allowed lateness)',
      role: 'admin',
      body: ModelCreateSchema,
      responses: [
        { status: 201, description: 'created', schema: ModelSchema },
        { status: 200, description: 'updated', schema: ModelSchema },
        { status: 400, description: 'invalid settings', schema: ErrorBodySchema },
      ],
      handler: async ({ body, caller, reply }) => {
        const existed = (await store.getModel(caller.project, body.name)) !== null;
        const m = await store.upsertModel(caller.project, body, clock.now());
        reply.status(existed ? 200 : 201);
        return modelToWire(m);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models',
      tag: 'registry',
      summary: "The project's models",
      role: 'read',
      responses: [{ status: 200, description: 'the models', schema: ModelListSchema }],
      handler: async ({ caller }) => ({ models: (await store.listModels(caller.project)).map(modelToWire) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model',
      tag: 'registry',
      summary: 'A model with its versions and watermark',
      role: 'read',
      params: ModelParamsSchema,
      responses: [
        { status: 200, description: 'the model', schema: ModelDetailSchema },
        { status: 404, description: 'no such model', schema: ErrorBodySchema },
      ],
      handler: async ({ params, caller }) => {
        const m = await store.getModel(caller.project, params.model);
        if (!m) throw modelNotFound(params.model);
        const versions = await store.listVersions(caller.project, params.model);
        return { ...modelToWire(m), versions: versions.map(versionToWire) };
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/models/:model/versions',
      tag: 'registry',
      summary: 'Register a model version (creates the model if needed)',
      description:
        'Re-registering with the same artifact hash updates metadata; a different hash for a registered version is a conflict.',
      role: 'admin',
      params: ModelParamsSchema,
      body: ModelVersionCreateSchema,
      responses: [
        { status: 201, description: 'registered', schema: ModelVersionSchema },
        { status: 200, description: 'metadata updated', schema: ModelVersionSchema },
        {
          status: 409,
          description: 'the version exists with another artifact hash',
          schema: ErrorBodySchema,
        },
      ],
      handler: async ({ params, body, caller, reply }) => {
        const r = await store.registerVersion(caller.project, params.model, body, clock.now());
        reply.status(r.created ? 201 : 200);
        return versionToWire(r.version);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/versions',
      tag: 'registry',
      summary: 'The versions of a model, registered or seen in traffic',
      role: 'read',
      params: ModelParamsSchema,
      responses: [{ status: 200, description: 'the versions', schema: VersionListSchema }],
      handler: async ({ params, caller }) => {
        if (!(await store.getModel(caller.project, params.model))) throw modelNotFound(params.model);
        return { versions: (await store.listVersions(caller.project, params.model)).map(versionToWire) };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/versions/:version',
      tag: 'registry',
      summary: 'One model version',
      role: 'read',
      params: VersionParamsSchema,
      responses: [
        { status: 200, description: 'the version', schema: ModelVersionSchema },
        { status: 404, description: 'no such model or version', schema: ErrorBodySchema },
      ],
      handler: async ({ params, caller }) => {
        const v = await store.getVersion(caller.project, params.model, params.version);
        if (!v)
          throw new FaultlineError(
            'registry.version_not_found',
            `model "${params.model}" has no version "${params.version}"`,
          );
        return versionToWire(v);
      },
    }),
    defineRoute({
      method: 'PUT',
      url: '/v1/models/:model/intended-version',
      tag: 'registry',
      summary: 'Set which version is the intended deployment, from now or from the time of the deploy',
      description:
        'Each change is kept with the event time it takes effect (`effectiveAt`, default now), so windows before ' +
        'it are judged against the version intended then. Deploy events never change the intended version.',
      role: 'admin',
      params: ModelParamsSchema,
      body: IntendedVersionSchema,
      responses: [
        { status: 200, description: 'the model', schema: ModelSchema },
        { status: 400, description: 'effectiveAt too far in the future', schema: ErrorBodySchema },
        { status: 404, description: 'no such model or version', schema: ErrorBodySchema },
      ],
      handler: async ({ params, body, caller }) => {
        const now = clock.now();
        const effectiveAtMs = body.effectiveAt ?? now;
        if (effectiveAtMs > now + deps.config.maxFutureSkewMs)
          throw new FaultlineError(
            'request.invalid',
            `effectiveAt ${toIso(effectiveAtMs)} is more than ${deps.config.maxFutureSkewMs} ms ahead of the collector's clock`,
            {
              hint: 'set the intended version when the deploy happens, or leave effectiveAt out for now',
              issues: [{ field: 'effectiveAt', reason: "later than the collector's clock allows" }],
            },
          );
        if (!(await store.getModel(caller.project, params.model))) throw modelNotFound(params.model);
        await store.setIntendedVersion(caller.project, params.model, body.version, {
          effectiveAtMs,
          recordedAtMs: now,
        });
        const m = await store.getModel(caller.project, params.model);
        return modelToWire(m!);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/models/:model/intended-versions',
      tag: 'registry',
      summary: 'Every change of the intended version, with the event time it took effect',
      role: 'read',
      params: ModelParamsSchema,
      responses: [
        {
          status: 200,
          description: 'the changes, in the order they were recorded',
          schema: IntendedHistorySchema,
        },
        { status: 404, description: 'no such model', schema: ErrorBodySchema },
      ],
      handler: async ({ params, caller }) => {
        if (!(await store.getModel(caller.project, params.model))) throw modelNotFound(params.model);
        const changes = await store.listIntendedVersions(caller.project, params.model);
        return {
          changes: changes.map((c) => ({
            version: c.version,
            effectiveAt: toIso(c.effectiveAtMs),
            recordedAt: toIso(c.recordedAtMs),
          })),
        };
      },
    }),
    ...referenceRoutes(deps),
  ];
}
