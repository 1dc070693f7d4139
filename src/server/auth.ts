/**
 * @module
 * Tokens: high-entropy random secrets (32 bytes, base64url, prefixed `flt_`), stored as their sha-256.
 * A fast hash is enough here because the secret is random, not a password: there is nothing to guess.
 * Each token belongs to one project and has one role.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../core/contract/index.js';
import { FaultlineError, roleAllows } from '../core/contract/index.js';
import type { Store, TokenRecord } from '../store/store.js';

/** Who is calling: the token's id, project and role. */
export interface Caller {
  tokenId: string;
  project: string;
  role: Role;
}

const TOKEN_PREFIX = 'flt_';
/** Shortest token accepted from FAULTLINE_ADMIN_TOKEN: 128 bits as hex. */
export const MIN_TOKEN_CHARS = 32;

/** A new secret token: `flt_` + 43 base64url characters (256 random bits). */
export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/** sha-256 of the token, hex: what the store keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates and stores a token; the secret is returned once and never stored. */
export async function issueToken(
  store: Store,
  spec: { project: string; role: Role; label?: string | null | undefined; token?: string | undefined },
  nowMs: number,
): Promise<{ record: TokenRecord; token: string }> {
  const token = spec.token ?? generateToken();
  const record: TokenRecord = {
    id: randomBytes(6).toString('hex'),
    project: spec.project,
    role: spec.role,
    label: spec.label ?? null,
    createdAtMs: nowMs,
    revokedAtMs: null,
  };
  await store.insertToken({ ...record, hash: hashToken(token) });
  return { record, token };
}

/**
 * Makes sure an admin token exists. On a fresh store (no token ever created) it creates one, from
 * `fromEnv` when given, else random, and returns it so that the caller prints it once. A token given in
 * `fromEnv` is also added to an existing store when its hash is unknown. Returns null when nothing was made.
 */
export async function bootstrapAdminToken(
  store: Store,
  options: { project: string; fromEnv?: string | undefined },
  nowMs: number,
): Promise<{ token: string; generated: boolean } | null> {
  if (options.fromEnv !== undefined && options.fromEnv.length < MIN_TOKEN_CHARS)
    throw new FaultlineError(
      'request.invalid',
      `FAULTLINE_ADMIN_TOKEN is shorter than ${MIN_TOKEN_CHARS} characters`,
      {
        hint: 'use a random secret, e.g. `openssl rand -hex 32`',
      },
    );
  if (options.fromEnv !== undefined) {
    if (await store.findTokenByHash(hashToken(options.fromEnv))) return null;
    await issueToken(
      store,
      { project: options.project, role: 'admin', label: 'FAULTLINE_ADMIN_TOKEN', token: options.fromEnv },
      nowMs,
    );
    return { token: options.fromEnv, generated: false };
  }
  if ((await store.countTokens()) > 0) return null;
  const { token } = await issueToken(
    store,
    { project: options.project, role: 'admin', label: 'first start' },
    nowMs,
  );
  return { token, generated: true };
}

/** Resolves the caller from `Authorization: Bearer <token>`; 401 when absent or unknown, 403 when the role is short. */
export function createAuthenticator(
  store: Store,
): (request: FastifyRequest, role: Role | 'any') => Promise<Caller> {
  return async (request, role) => {
    const header = request.headers.authorization;
    if (header === undefined || header.length === 0)
      throw new FaultlineError('auth.token_missing', 'this route needs a token', {
        hint: 'send the header "Authorization: Bearer <token>"; `faultline token create` makes one',
      });
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m?.[1])
      throw new FaultlineError(
        'auth.token_invalid',
        'the Authorization header is not of the form "Bearer <token>"',
      );
    const record = await store.findTokenByHash(hashToken(m[1]));
    if (!record) throw new FaultlineError('auth.token_invalid', 'the token is unknown or revoked');
    if (role !== 'any' && !roleAllows(record.role, role))
      throw new FaultlineError(
        'auth.role_forbidden',
        `this route needs the ${role} role; the token has ${record.role}`,
        {
          hint: `create a token with \`faultline token create --project ${record.project} --role ${role}\``,
        },
      );
    return { tokenId: record.id, project: record.project, role: record.role };
  };
}
