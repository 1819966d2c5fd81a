import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RpcEvent } from '../../../shared/contract';
import { createCore, type Core } from '../index';

const opened: Core[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const core of opened.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(dataDir: string, host: 'electron' | 'cli'): Core {
  const core = createCore({ dataDir, host, version: 'test' });
  opened.push(core);
  return core;
}

function nextEvents(core: Core, ms: number): Promise<RpcEvent[]> {
  const seen: RpcEvent[] = [];
  const stop = core.events.subscribe((event) => seen.push(event));
  return new Promise((resolve) =>
    setTimeout(() => {
      stop();
      resolve(seen);
    }, ms),
  );
}

describe('settings written by another process', () => {
  it('reach the open app as one settings.changed event', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-watch-'));
    dirs.push(dir);
    const app = open(dir, 'electron');
    const cli = open(dir, 'cli');

    const events = nextEvents(app, 1500);
    await cli.dispatcher.dispatch('sites.addPreset', { presetId: 'ecmwf' });
    const changed = (await events).filter((e) => e.event === 'settings.changed');

    expect(changed).toHaveLength(1);
    const payload = changed[0]!.payload as { settings: { hosts: { name: string }[] } };
    expect(payload.settings.hosts.map((h) => h.name)).toEqual(['hpc-login', 'ecs-login']);
  });

  it('do not echo the app’s own writes a second time', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onehop-watch-'));
    dirs.push(dir);
    const app = open(dir, 'electron');

    const events = nextEvents(app, 800);
    await app.dispatcher.dispatch('ui.update', { theme: 'dark' });
    const changed = (await events).filter((e) => e.event === 'settings.changed');
    expect(changed).toHaveLength(1);
  });
});
