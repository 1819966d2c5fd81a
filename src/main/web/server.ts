/**
 * The browser-mode host: serves the built renderer and the typed contract over one WebSocket, on
 * 127.0.0.1 only. It exists so the real UI can be driven by Chromium in tests (Electron cannot
 * run on the build machines) and used where Electron cannot start. Never packaged.
 *
 * Routes: `GET /?token=T` (index; sets an HttpOnly session cookie), the renderer's static files
 * (cookie required), and the WebSocket at `/rpc?token=T`. Nothing else.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { RpcRequestSchema, WEB_RPC_PATH, type RpcResponse } from '../../shared/contract';
import { createCore, type Core } from '../core';
import {
  cookieValue,
  isAllowedHost,
  isAllowedOrigin,
  newToken,
  SESSION_COOKIE,
  tokensEqual,
  webHostCsp,
} from './security';

export interface WebHostOptions {
  dataDir: string;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  token?: string;
  version?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  core: Core;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rendererDir = path.resolve(options.rendererDir);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(`No built renderer in ${rendererDir}. Build it first with: npm run build`);
  }
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = options.token ?? newToken();
  const core = createCore({
    dataDir: options.dataDir,
    host: 'web',
    version: options.version ?? '0.0.0',
  });

  const server = http.createServer();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;

  const reject = (what: string, req: http.IncomingMessage, why: string): void => {
    log(
      `onehop web: rejected ${what} ${req.method ?? ''} ${redact(req.url)} from ${req.socket.remoteAddress ?? '?'}: ${why}`,
    );
  };

  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const send = (status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void => {
      res.writeHead(status, {
        'Content-Type': 'text/plain; charset=utf-8',
        ...securityHeaders(port),
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (!isAllowedHost(req.headers.host, port)) {
      reject('request', req, `foreign Host header ${JSON.stringify(req.headers.host)}`);
      return send(403, 'Forbidden: this server answers only to its own loopback address.\n');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, 'Method not allowed.\n', { Allow: 'GET, HEAD' });
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokensEqual(token, url.searchParams.get('token'))) {
        reject('request', req, 'wrong or missing token');
        return send(
          403,
          'Forbidden: open the exact URL that `npm run web` printed (it carries a token).\n',
        );
      }
      return serveFile(res, req, path.join(rendererDir, 'index.html'), port, {
        'Set-Cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      });
    }
    if (!tokensEqual(token, cookieValue(req.headers.cookie, SESSION_COOKIE))) {
      reject('request', req, 'no session cookie');
      return send(403, 'Forbidden.\n');
    }
    const file = resolveStaticFile(rendererDir, url.pathname);
    if (!file) return send(404, 'Not found.\n');
    return serveFile(res, req, file, port);
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    const refuse = (why: string): void => {
      reject('WebSocket', req, why);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    };
    if (url.pathname !== WEB_RPC_PATH) return refuse('unknown path');
    if (!isAllowedHost(req.headers.host, port))
      return refuse(`foreign Host header ${JSON.stringify(req.headers.host)}`);
    if (!isAllowedOrigin(req.headers.origin, port))
      return refuse(`foreign Origin ${JSON.stringify(req.headers.origin)}`);
    if (!tokensEqual(token, url.searchParams.get('token'))) return refuse('wrong or missing token');
    wss.handleUpgrade(req, socket, head, (ws) => serveContract(ws, core, sockets));
  });

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    core,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await core.close();
    },
  };
}

/** One WebSocket = one UI: requests in, responses and events out. */
function serveContract(ws: WebSocket, core: Core, sockets: Set<WebSocket>): void {
  sockets.add(ws);
  const send = (message: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = core.events.subscribe(send);
  const answer = async (text: string | undefined): Promise<void> => {
    const request = text === undefined ? undefined : parseRequest(text);
    if (!request) {
      const response: RpcResponse = {
        id: -1,
        ok: false,
        error: {
          code: 'invalid-request',
          message: 'Messages must be JSON {id, command, payload}.',
        },
      };
      return send(response);
    }
    const result = await core.dispatcher.dispatch(request.command, request.payload);
    send({ id: request.id, ...result } satisfies RpcResponse);
  };
  ws.on('message', (data, isBinary) => {
    // The dispatcher never throws, so nothing is left to catch here.
    void answer(isBinary ? undefined : rawText(data));
  });
  ws.on('close', () => {
    unsubscribe();
    sockets.delete(ws);
  });
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function parseRequest(text: string): { id: number; command: string; payload: unknown } | undefined {
  try {
    const parsed = RpcRequestSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Only files inside the renderer directory; `..`, encoded or not, cannot climb out. */
function resolveStaticFile(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${decoded}`);
  if (!file.startsWith(`${root}${path.sep}`)) return undefined;
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function serveFile(
  res: http.ServerResponse,
  req: http.IncomingMessage,
  file: string,
  port: number,
  extra: http.OutgoingHttpHeaders = {},
): void {
  const body = fs.readFileSync(file);
  res.writeHead(200, {
    'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': body.length,
    ...securityHeaders(port),
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function securityHeaders(port: number): http.OutgoingHttpHeaders {
  return {
    'Content-Security-Policy': webHostCsp(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/** Tokens never reach the log. */
function redact(url: string | undefined): string {
  return (url ?? '').replace(/token=[^&]*/g, 'token=…');
}
