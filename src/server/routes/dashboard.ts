/**
 * @module
 * Serves the dashboard bundle (`dist/web`, built by `npm run build`) at `/`, `/favicon.svg` and `/assets/*` on
 * the collector's own port. The page talks to the collector only through the HTTP API with a bearer token, so
 * these routes are public and hold no data. Every answer carries a strict Content-Security-Policy (no inline
 * script or style, no framing, same-origin connections only); content-hashed assets are cached for a year,
 * the page itself is revalidated on every load. Precompressed `.gz` assets are sent when the client accepts gzip.
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

export const DASHBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Asset names esbuild writes: `app-ABC123.js`, `style-XYZ.css.map`, … — nothing that could climb folders. */
const ASSET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** What to run to build the dashboard, for every message that says it is missing. */
export const DASHBOARD_BUILD_COMMAND = 'npm run build';

/**
 * The built dashboard folder for a module in `moduleDir`: `dist/web` of the package that holds it, whether the
 * module runs compiled (`dist/server/routes`) or from the sources under tsx (`src/server/routes`). Never
 * `src/web`: that folder holds the unbuilt page, whose script is TypeScript a browser cannot run.
 */
export function webDirFor(moduleDir: string): string {
  // Climb to the `src` or `dist` folder the module sits in; the package is its parent.
  let dir = moduleDir;
  while (basename(dir) !== 'src' && basename(dir) !== 'dist') {
    const up = dirname(dir);
    if (up === dir) return join(moduleDir, '..', '..', '..', 'dist', 'web');
    dir = up;
  }
  return join(dirname(dir), 'dist', 'web');
}

/** The built dashboard folder of this package (`webDirFor` of this module). */
export function defaultWebDir(): string {
  return webDirFor(dirname(fileURLToPath(import.meta.url)));
}

/** Null when `dir` holds a built dashboard; otherwise one sentence saying it is not built and how to build it. */
export function dashboardNotBuilt(dir: string = defaultWebDir()): string | null {
  if (existsSync(join(dir, 'index.html'))) return null;
  return `the dashboard is not built (no ${join(dir, 'index.html')}); run \`${DASHBOARD_BUILD_COMMAND}\` to build it — the HTTP API works without it`;
}

export interface DashboardOptions {
  /** Folder with `index.html` and `assets/` (default: `defaultWebDir()`). */
  dir?: string;
}

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', DASHBOARD_CSP);
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('x-content-type-options', 'nosniff');
}

/** Registers the dashboard routes; use with `app.register(dashboardRoutes)` so its hooks stay scoped. */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardOptions = {}): Promise<void> {
  const dir = options.dir ?? defaultWebDir();
  // Runs after the collector's own onSend hook (which marks API answers `no-store`): set per file below.
  app.addHook('onSend', async (request, reply) => {
    securityHeaders(reply);
    const cache = (request.routeOptions.config as { cache?: string } | undefined)?.cache;
    const url = request.url.split('?')[0] ?? '';
    reply.header(
      'cache-control',
      reply.statusCode !== 200
        ? 'no-store'
        : url.startsWith('/assets/')
          ? 'public, max-age=31536000, immutable'
          : (cache ?? 'no-cache'),
    );
  });

  const sendFile = async (reply: FastifyReply, path: string, acceptEncoding: string | undefined) => {
    const type = TYPES[extname(path)] ?? 'application/octet-stream';
    const gz = `${path}.gz`;
    if (/\bgzip\b/.test(acceptEncoding ?? '') && (await stat(gz).catch(() => null))?.isFile()) {
      reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding');
      return reply.type(type).send(await readFile(gz));
    }
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    if (type.startsWith('text/') || type.startsWith('application/') || type.startsWith('image/svg'))
      reply.header('vary', 'accept-encoding');
    return reply.type(type).send(await readFile(path));
  };

  const notBuilt = (reply: FastifyReply) =>
    reply
      .status(404)
      .type('text/plain; charset=utf-8')
      .send(
        `The dashboard is not built. Run \`${DASHBOARD_BUILD_COMMAND}\` (it writes dist/web), then reload.\n`,
      );

  app.get('/', async (_request, reply) => {
    return (await sendFile(reply, join(dir, 'index.html'), undefined)) ?? notBuilt(reply);
  });

  app.get('/favicon.svg', { config: { cache: 'public, max-age=86400' } }, async (request, reply) => {
    return (
      (await sendFile(reply, join(dir, 'favicon.svg'), request.headers['accept-encoding'])) ??
      reply.callNotFound()
    );
  });

  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const { file } = request.params;
    if (!ASSET_NAME.test(file) || file.includes('..')) return reply.callNotFound();
    return (
      (await sendFile(reply, join(dir, 'assets', file), request.headers['accept-encoding'])) ??
      reply.callNotFound()
    );
  });
}
