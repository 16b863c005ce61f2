// Access control for the headless shell: a bearer token (header, `?token=` once, then an HttpOnly cookie) and an
// Origin check on WebSocket upgrades so another web page in the trader's browser cannot drive the API.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'qs_token';

export function generateToken(): string {
  return randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === TOKEN_COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

/** Where the request's token came from, or null when it has none that matches. */
export function authenticate(req: IncomingMessage, url: URL, token: string): 'header' | 'query' | 'cookie' | null {
  const auth = req.headers.authorization ?? '';
  if (auth.startsWith('Bearer ') && safeEqual(auth.slice(7), token)) return 'header';
  const q = url.searchParams.get('token');
  if (q !== null && safeEqual(q, token)) return 'query';
  const c = cookieToken(req);
  if (c !== null && safeEqual(c, token)) return 'cookie';
  return null;
}

/** A WebSocket upgrade must come from a page this server served (same host), or from a non-browser client. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
