import fs from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from './server';

let host: WebHost;
let tmp: string;
const logged: string[] = [];

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-web-'));
  const renderer = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>OneHop</title>');
  fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the renderer');
  host = await startWebHost({
    dataDir: path.join(tmp, 'home'),
    rendererDir: renderer,
    log: (line) => logged.push(line),
  });
});

afterAll(async () => {
  await host.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const origin = () => `http://127.0.0.1:${host.port}`;

function get(pathname: string, headers: Record<string, string> = {}, method = 'GET') {
  return fetch(`${origin()}${pathname}`, { method, headers, redirect: 'manual' });
}

/** Opens a socket; resolves with the open socket or the HTTP status that refused it. */
function connect(query: string, headers: Record<string, string> = { Origin: origin() }) {
  return new Promise<{ ws?: WebSocket; status?: number }>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc${query}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: -1 }));
  });
}

/** The host sends text frames, which ws hands over as one Buffer. */
function text(data: WebSocket.RawData): string {
  return Buffer.isBuffer(data) ? data.toString('utf8') : '';
}

function call(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const parsed = JSON.parse(text(data)) as Record<string, unknown>;
      if ('id' in parsed) {
        ws.off('message', onMessage);
        resolve(parsed);
      }
    };
    ws.on('message', onMessage);
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  });
}

describe('browser-mode host: HTTP', () => {
  it('listens on loopback only', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  it('refuses the page without the token and logs it without the token', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect(
      logged.some((line) => /rejected request GET \/\?token=… .*wrong or missing token/.test(line)),
    ).toBe(true);
    expect(logged.join('\n')).not.toContain(host.token);
  });

  it('serves the page with the token, with a strict CSP and an HttpOnly session cookie', async () => {
    const res = await get(`/?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>OneHop</title>');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('serves renderer files only with the session cookie', async () => {
    expect((await get('/assets/app.js')).status).toBe(403);
    const cookie = `onehop_session=${host.token}`;
    const ok = await get('/assets/app.js', { cookie });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toContain('text/javascript');
    expect((await get('/nothing-here', { cookie })).status).toBe(404);
    expect((await get('/%2e%2e/secret.txt', { cookie })).status).toBe(404);
    expect((await get('/assets/app.js', { cookie }, 'POST')).status).toBe(405);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await new Promise<number>((resolve) => {
      // fetch() forbids overriding Host, so speak raw HTTP.
      const req = request(
        {
          host: '127.0.0.1',
          port: host.port,
          path: `/?token=${host.token}`,
          headers: { Host: 'evil.example:80' },
        },
        (r) => resolve(r.statusCode ?? 0),
      );
      req.end();
    });
    expect(res).toBe(403);
  });
});

describe('browser-mode host: WebSocket contract', () => {
  it('refuses a socket without the token, with a wrong token, or from a foreign Origin', async () => {
    expect((await connect('')).status).toBe(403);
    expect((await connect('?token=nope')).status).toBe(403);
    expect((await connect(`?token=${host.token}`, { Origin: 'https://evil.example' })).status).toBe(
      403,
    );
    expect((await connect(`?token=${host.token}`, {})).status).toBe(403);
    expect(logged.some((line) => line.includes('foreign Origin "https://evil.example"'))).toBe(
      true,
    );
  });

  it('answers commands, returns typed errors for bad input, and pushes events', async () => {
    const { ws } = await connect(`?token=${host.token}`);
    expect(ws).toBeDefined();
    const socket = ws!;
    try {
      const info = await call(socket, { id: 1, command: 'app.info', payload: {} });
      expect(info).toMatchObject({ id: 1, ok: true, result: { host: 'web', name: 'OneHop' } });

      const wrongTypes = await call(socket, {
        id: 2,
        command: 'hosts.add',
        payload: { name: 'x', hostName: 'h', port: '22' },
      });
      expect(wrongTypes).toMatchObject({ id: 2, ok: false, error: { code: 'invalid-request' } });
      const { fields } = (wrongTypes as { error: { fields: Record<string, string> } }).error;
      expect(fields.port).toMatch(/expected number/);

      const garbage = await call(socket, 'not json');
      expect(garbage).toMatchObject({ id: -1, ok: false, error: { code: 'invalid-request' } });

      const changed = new Promise<Record<string, unknown>>((resolve) => {
        socket.on('message', (data) => {
          const message = JSON.parse(text(data)) as Record<string, unknown>;
          if (message.event === 'settings.changed') resolve(message);
        });
      });
      const added = await call(socket, {
        id: 3,
        command: 'sites.addPreset',
        payload: { presetId: 'ecmwf' },
      });
      expect(added).toMatchObject({ id: 3, ok: true, result: { hostsAdded: 2 } });
      const event = (await changed) as { payload: { settings: { hosts: { name: string }[] } } };
      expect(event.payload.settings.hosts.map((h) => h.name)).toEqual(['hpc-login', 'ecs-login']);

      // The socket survives all of the above.
      expect(await call(socket, { id: 4, command: 'presets.list', payload: {} })).toMatchObject({
        ok: true,
      });
    } finally {
      socket.close();
    }
  });
});
