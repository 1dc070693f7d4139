/**
 * Tokens: each belongs to one project and has one role. `ingest` may send events, `read` may query,
 * `admin` may do both and manage the registry and tokens. Tokens are shown once and stored hashed.
 */
import { z } from 'zod';
import { NameSchema } from './scalars.js';

export const ROLES = ['ingest', 'read', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Whether a token with role `held` may do what needs role `needed` (admin may do everything). */
export function roleAllows(held: Role, needed: Role): boolean {
  return held === 'admin' || held === needed;
}

export const ProjectNameSchema = NameSchema;

export const TokenCreateSchema = z.strictObject({
  role: z.enum(ROLES),
  label: z.string().max(200).optional(),
});
export type TokenCreate = z.infer<typeof TokenCreateSchema>;

export const TokenInfoSchema = z.object({
  id: z.string(),
  project: z.string(),
  role: z.enum(ROLES),
  label: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

/** The answer to creating a token: the only time the secret is shown. */
export const TokenCreatedSchema = TokenInfoSchema.extend({ token: z.string() });
export type TokenCreated = z.infer<typeof TokenCreatedSchema>;

export const WhoAmISchema = z.object({ tokenId: z.string(), project: z.string(), role: z.enum(ROLES) });
export type WhoAmI = z.infer<typeof WhoAmISchema>;
