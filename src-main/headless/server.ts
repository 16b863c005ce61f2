// The headless shell: the built renderer over HTTP and the core's contract over WebSocket, for a server (open
// the UI in a browser) and for browser end-to-end tests. HTTP never changes state: only GET/HEAD are served,
// and every request needs the access token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { wsClientFrame, type WsServerFrame } from '../../src-preload/contract';
import type { Core } from '../core/api';
import { dispatch } from '../core/rpc';
import { authenticate, originAllowed, TOKEN_COOKIE } from './auth';
import { loadStatic } from './static-files';

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export interface HeadlessOptions {
  core: Core;
  rendererDir: string;
  host: string;
  port: number;
  token: string;
  log?: (line: string) => void;
}

export interface HeadlessServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const MAX_FRAME_BYTES = 64 * 1024;

function send(ws: WebSocket, frame: WsServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}

function deny(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(message + '\n');
}

export async function startHeadless(opts: HeadlessOptions): Promise<HeadlessServer> {
  const log = opts.log ?? (() => undefined);

  const onHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      return deny(res, 405, 'Method not allowed: the web UI changes state only through its WebSocket API.');
    }
    if (url.pathname === '/healthz') return deny(res, 200, 'ok');
    const via = authenticate(req, url, opts.token);
    if (via === null) {
      res.setHeader('www-authenticate', 'Bearer realm="quant-scalper"');
      return deny(res, 401, 'Unauthorized: open the URL printed by `quant-scalper serve` (it carries the access token).');
    }
    if (via === 'query') {
      // Trade the one-time URL token for a cookie and drop it from the address bar.
      res.writeHead(302, {
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(opts.token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    const file = await loadStatic(opts.rendererDir, url.pathname);
    if (file === null) return deny(res, 404, 'Not found');
    res.writeHead(200, {
      'content-type': file.type,
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const http: Server = createServer((req, res) => {
    onHttp(req, res).catch((err: unknown) => {
      log(`http error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) deny(res, 500, 'Internal error');
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/ws' || authenticate(req, url, opts.token) === null || !originAllowed(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    const unsubscribe = opts.core.events.subscribe((event, payload) => send(ws, { type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      let json: unknown;
      try {
        json = JSON.parse(isBinary ? '' : data.toString());
      } catch {
        json = undefined;
      }
      const frame = wsClientFrame.safeParse(json);
      if (!frame.success) {
        send(ws, { type: 'response', id: -1, envelope: { ok: false, error: { code: 'bad_request', message: 'frame is not a valid request' } } });
        return;
      }
      const { id, channel, payload } = frame.data;
      void dispatch(opts.core.handlers, channel, payload).then((envelope) => send(ws, { type: 'response', id, envelope }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(opts.port, opts.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  return {
    url: `http://${hostForUrl}:${port}/`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
