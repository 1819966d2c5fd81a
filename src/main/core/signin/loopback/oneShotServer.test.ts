import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { startOneShotServer, type OneShotServerOptions } from './oneShotServer';

function text(status: number, body: string) {
  return (res: http.ServerResponse) => {
    res.writeHead(status, { 'Content-Type': 'text/plain' });
    res.end(body);
  };
}

function get(
  port: number,
  path: string,
  host = `127.0.0.1:${port}`,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers: { Host: host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const base: OneShotServerOptions<string> = {
  bindHosts: ['127.0.0.1'],
  headers: { 'X-Extra': 'yes' },
  forbidden: text(403, 'forbidden'),
  finished: text(410, 'finished'),
  route: (req) =>
    req.url?.startsWith('/done')
      ? {
          decide: async () => {
            await Promise.resolve();
            const value = new URL(req.url ?? '/', 'http://x').searchParams.get('v') ?? '';
            return { outcome: { ok: true, value }, answer: text(200, 'settled') };
          },
        }
      : { answer: text(404, 'not mine') },
  cancelledError: () => new Error('cancelled'),
  timeoutError: (ms) => new Error(`timeout ${ms}`),
  defaultTimeoutMs: 5000,
};

describe('one-shot loopback server', () => {
  it('answers other requests, settles once, then says finished and closes', async () => {
    const server = await startOneShotServer(base);
    expect(server.boundHost).toBe('127.0.0.1');
    const waiting = server.waitForResult();
    const other = await get(server.port, '/other');
    expect(other).toMatchObject({ status: 404, body: 'not mine' });
    expect(other.headers).toMatchObject({
      connection: 'close',
      'cache-control': 'no-store',
      'x-extra': 'yes',
    });
    expect(await get(server.port, '/x', 'evil.example')).toMatchObject({ status: 403 });
    expect(await get(server.port, '/done?v=one')).toMatchObject({ status: 200, body: 'settled' });
    await expect(waiting).resolves.toBe('one');
    await expect(server.waitForResult()).rejects.toThrow('only once');
    await server.close(); // idempotent
  });

  it('answers finished to a second sign-in request before the wait begins', async () => {
    const server = await startOneShotServer(base);
    expect(await get(server.port, '/done?v=a')).toMatchObject({ status: 200 });
    expect(await get(server.port, '/done?v=b')).toMatchObject({ status: 410, body: 'finished' });
    await expect(server.waitForResult()).resolves.toBe('a');
  });

  it('times out, cancels on abort and on close', async () => {
    const timedOut = await startOneShotServer(base);
    await expect(timedOut.waitForResult({ timeoutMs: 20 })).rejects.toThrow('timeout 20');

    const aborted = await startOneShotServer(base);
    const controller = new AbortController();
    const waiting = aborted.waitForResult({ signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toThrow('cancelled');

    const closed = await startOneShotServer(base);
    const pending = closed.waitForResult();
    await closed.close();
    await expect(pending).rejects.toThrow('cancelled');
  });
});
