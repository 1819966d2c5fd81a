/**
 * An existing `tsh` login appears in `onehop status` with its own countdown, read-only: the
 * `~/.tsh` tree (tsh ≥ 17 layout, built with ssh-keygen) is byte-identical afterwards, and a
 * broken profile is listed with the reason instead of hiding the others.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  signUser,
  snapshotTree,
  sshKey,
  writeTree,
} from '../../src/main/core/credentials/tsh/tshHome.testkit';
import { requireTools } from '../support/tools';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tools = requireTools(['ssh-keygen']);

describe.skipIf(tools.skip)(`tsh logins in onehop status${tools.marker}`, () => {
  let scratch: string;
  let tshHome: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'onehop-tsh-status-'));
    const keys = path.join(scratch, 'keys');
    await writeTree(keys, { '.keep': '' });
    const [ca, user] = await Promise.all([
      sshKey(keys, 'user-ca', 'ed25519'),
      sshKey(keys, 'bob', 'ed25519'),
    ]);
    const cert = await signUser(ca, user, {
      keyId: 'bob',
      principals: ['bob', '-teleport-internal-join'],
      validity: '-1m:+2h',
    });
    tshHome = path.join(scratch, '.tsh');
    await writeTree(tshHome, {
      'current-profile': 'teleport.example.test\n',
      'teleport.example.test.yaml': [
        'web_proxy_addr: teleport.example.test:443',
        'ssh_proxy_addr: teleport.example.test:3023',
        'user: bob',
        'cluster: main',
        '',
      ].join('\n'),
      'keys/teleport.example.test/bob': user.privateKey,
      'keys/teleport.example.test/bob.pub': user.publicKey,
      'keys/teleport.example.test/bob-ssh/main-cert.pub': cert,
      'broken.example.test.yaml':
        'web_proxy_addr: broken.example.test:443\nuser: eve\ncluster: x\n',
    });
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('shows the tsh login with its countdown and the broken one with its reason', async () => {
    const before = await snapshotTree(tshHome);
    const { stdout } = await run(
      process.execPath,
      [path.join(root, 'bin/onehop.js'), 'status', '--json'],
      {
        cwd: root,
        timeout: 30_000,
        env: { ...process.env, ONEHOP_HOME: path.join(scratch, 'onehop'), TELEPORT_HOME: tshHome },
      },
    );
    const { sites } = JSON.parse(stdout) as {
      sites: {
        name: string;
        kind: string;
        state: string;
        user: string | null;
        logins: string[];
        remainingSeconds: number | null;
        proxy: string;
      }[];
    };
    const good = sites.find((s) => s.name === 'tsh:teleport.example.test');
    expect(good).toMatchObject({
      kind: 'tsh',
      state: 'valid',
      user: 'bob',
      logins: ['bob'],
      proxy: 'teleport.example.test:443',
    });
    expect(good!.remainingSeconds).toBeGreaterThan(7000);
    expect(sites.find((s) => s.name === 'tsh:broken.example.test')).toMatchObject({
      kind: 'tsh',
      state: 'signed-out',
    });
    expect(await snapshotTree(tshHome)).toEqual(before);
  });
});
