// Who may talk to the browser host: only a request that names this server by its loopback
// address (a DNS-rebinding guard) and carries this session's secret token.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_HEADER = 'x-awb-token';
export const TOKEN_QUERY = 'token';

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A page on another name that resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host. */
export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

export function tokensEqual(candidate: string | null | undefined, token: string): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The page's own document and asset requests cannot carry a header, so the first page load (with
 * `?token=`) leaves the token in a cookie. Cookies ignore ports, hence the port in its name;
 * SameSite=Strict keeps other sites' requests from carrying it. The API never accepts it: an API
 * call must send the header, which another origin cannot add without a CORS preflight we refuse.
 */
export function sessionCookieName(port: number): string {
  return `awb-session-${port}`;
}

export function sessionCookie(port: number, token: string): string {
  return `${sessionCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

export function cookieValue(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export function headerValue(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === 'string' ? v : null;
}
