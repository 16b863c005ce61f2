// Serves the built renderer. Paths are resolved inside the root only; anything else is 404.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function loadStatic(root: string, pathname: string): Promise<{ body: Buffer; type: string } | null> {
  let rel: string;
  try {
    rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  } catch {
    return null;
  }
  if (rel === '' || rel === '.') rel = 'index.html';
  const full = join(root, rel);
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    const s = await stat(full);
    if (!s.isFile()) return null;
    return { body: await readFile(full), type: TYPES[extname(full)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
