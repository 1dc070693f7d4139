import type { Command } from 'commander';
import type { Role } from '../../core/contract/index.js';
import { ProjectNameSchema, ROLES } from '../../core/contract/index.js';
import { issueToken } from '../../server/auth.js';
import { openStore } from '../../server/open-store.js';
import { UsageError } from '../usage-error.js';

const DEFAULT_DB = './.faultline/faultline.db';

function dbOf(flag: string | undefined): string {
  return flag ?? process.env.FAULTLINE_DB ?? DEFAULT_DB;
}

function checkProject(project: string): string {
  if (!ProjectNameSchema.safeParse(project).success)
    throw new UsageError(`invalid project name "${project}"`, {
      hint: 'use letters, digits, "_", "." or "-"',
    });
  return project;
}

/** Registers `faultline token create|list|revoke`: manages tokens directly in the store file. */
export function register(program: Command): void {
  const token = program
    .command('token')
    .description('Create, list and revoke API tokens (works on the store file).');
  token
    .command('create')
    .description('Create a token for a project and print it (it is shown only once).')
    .requiredOption('--project <name>', 'project the token belongs to')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--label <text>', 'a note to recognise the token by')
    .option('--db <path>', `SQLite file or postgres:// URL (env FAULTLINE_DB; default ${DEFAULT_DB})`)
    .option('--json', 'print the token and its id as JSON')
    .action(async (flags: { project: string; role: string; label?: string; db?: string; json?: boolean }) => {
      if (!(ROLES as readonly string[]).includes(flags.role))
        throw new UsageError(`unknown role "${flags.role}"`, { hint: `use one of: ${ROLES.join(', ')}` });
      const store = await openStore(dbOf(flags.db));
      try {
        const { record, token: secret } = await issueToken(
          store,
          { project: checkProject(flags.project), role: flags.role as Role, label: flags.label },
          Date.now(),
        );
        if (flags.json)
          process.stdout.write(
            `${JSON.stringify({ id: record.id, project: record.project, role: record.role, token: secret })}\n`,
          );
        else process.stdout.write(`${secret}\n`);
        process.stderr.write(
          `token ${record.id} (${record.role} on project "${record.project}") created; it is shown only once\n`,
        );
      } finally {
        await store.close();
      }
    });
  token
    .command('list')
    .description("List a project's tokens (never their secrets).")
    .requiredOption('--project <name>', 'project')
    .option('--db <path>', `SQLite file or postgres:// URL (env FAULTLINE_DB; default ${DEFAULT_DB})`)
    .action(async (flags: { project: string; db?: string }) => {
      const store = await openStore(dbOf(flags.db));
      try {
        for (const t of await store.listTokens(checkProject(flags.project)))
          process.stdout.write(
            `${t.id}\t${t.role}\t${new Date(t.createdAtMs).toISOString()}\t${t.revokedAtMs === null ? 'live' : 'revoked'}\t${t.label ?? ''}\n`,
          );
      } finally {
        await store.close();
      }
    });
  token
    .command('revoke')
    .description('Revoke a token by id.')
    .requiredOption('--project <name>', 'project')
    .requiredOption('--id <id>', 'token id (from `faultline token list`)')
    .option('--db <path>', `SQLite file or postgres:// URL (env FAULTLINE_DB; default ${DEFAULT_DB})`)
    .action(async (flags: { project: string; id: string; db?: string }) => {
      const store = await openStore(dbOf(flags.db));
      try {
        if (!(await store.revokeToken(checkProject(flags.project), flags.id, Date.now())))
          throw new UsageError(`project "${flags.project}" has no live token "${flags.id}"`, {
            hint: 'list tokens with `faultline token list --project <name>`',
          });
        process.stdout.write(`revoked ${flags.id}\n`);
      } finally {
        await store.close();
      }
    });
}
