/**
 * `scripts/sandbox.ts` as its own process (as a user runs `npm run sandbox`), on free ports, for
 * a given data directory: it announces itself by writing `sandbox.json` there.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  SandboxDescriptorSchema,
  type SandboxDescriptor,
} from '../../../src/shared/contract/sandbox';

const root = path.resolve(__dirname, '../../..');

export interface SandboxProcess {
  /** What it printed so far, for failure messages. */
  output(): string;
  /** Its `sandbox.json`: ports, logins, the preset. */
  descriptor(): SandboxDescriptor;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** Resolves once `sandbox.json` exists; throws with its output when it is not there in time. */
export async function startSandbox(dataDir: string, timeoutMs: number): Promise<SandboxProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'scripts/sandbox.ts', '--port-base', '0'],
    {
      cwd: root,
      env: { ...process.env, ONEHOP_HOME: dataDir, ONEHOP_SANDBOX_PORT_BASE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const file = path.join(dataDir, 'sandbox.json');
  const sandbox: SandboxProcess = {
    output: () => output,
    descriptor: () =>
      SandboxDescriptorSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown),
    async stop() {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file) && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!fs.existsSync(file)) {
    await sandbox.stop();
    throw new Error(`The sandbox did not start:\n${output}`);
  }
  return sandbox;
}
