// The built renderer is served to the window from a private `awb://app/` origin instead of
// file://: a real origin for CSP 'self', the same path checks and security headers as the
// browser host, and no access to any other local file.
import { readFile } from 'node:fs/promises';
import { protocol } from 'electron';
import { SECURITY_HEADERS } from '../serve/security-headers';
import { contentType, resolveStaticFile } from '../serve/static-files';

export const RENDERER_SCHEME = 'awb';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://app`;

/** Must run before the app is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: RENDERER_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

export function serveRenderer(rendererDir: string): void {
  protocol.handle(RENDERER_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'app' && request.method === 'GET' ? await resolveStaticFile(rendererDir, url.pathname) : null;
    if (!file) return new Response(`Not found: ${url.pathname}`, { status: 404, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
    return new Response(await readFile(file), { status: 200, headers: { ...SECURITY_HEADERS, 'Content-Type': contentType(file) } });
  });
}
