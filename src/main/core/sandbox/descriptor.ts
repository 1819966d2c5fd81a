/**
 * The sandbox descriptor (`sandbox.json` in the data directory): written by `npm run sandbox`
 * while it runs, read by the core to find it. A descriptor whose process is gone, or whose proxy
 * no longer answers, was left behind (the sandbox was killed) and is reported, not used.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  SANDBOX_DESCRIPTOR_FILE,
  SandboxDescriptorSchema,
  type SandboxDescriptor,
} from '../../../shared/contract/sandbox';

const PROBE_TIMEOUT_MS = 1_500;

export interface SandboxInfo {
  running: boolean;
  descriptor: SandboxDescriptor | null;
  problem: string | null;
}

export function sandboxDescriptorPath(dataDir: string): string {
  return path.join(dataDir, SANDBOX_DESCRIPTOR_FILE);
}

/** True while a process with this PID exists (EPERM: it exists but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Resolves true when something accepts a TCP connection on 127.0.0.1:port. */
export function portAnswers(port: number, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Reads the descriptor; `null` when there is none, a problem sentence when it is unusable. */
export function readSandboxDescriptor(dataDir: string): {
  descriptor: SandboxDescriptor | null;
  problem: string | null;
} {
  const file = sandboxDescriptorPath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { descriptor: null, problem: null };
    return {
      descriptor: null,
      problem: `The sandbox descriptor ${file} cannot be read (${(error as Error).message}).`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    parsed = undefined;
  }
  const result = SandboxDescriptorSchema.safeParse(parsed);
  if (!result.success) {
    return {
      descriptor: null,
      problem: `The sandbox descriptor ${file} is not valid; restart the sandbox with \`npm run sandbox\`.`,
    };
  }
  return { descriptor: result.data, problem: null };
}

/** The descriptor and whether its sandbox really runs (process alive and proxy answering). */
export async function sandboxInfo(dataDir: string): Promise<SandboxInfo> {
  const { descriptor, problem } = readSandboxDescriptor(dataDir);
  if (!descriptor) return { running: false, descriptor: null, problem };
  if (!isProcessAlive(descriptor.pid)) {
    return {
      running: false,
      descriptor,
      problem: `The sandbox that was started at ${descriptor.startedAt} (PID ${descriptor.pid}) is no longer running; start it again with \`npm run sandbox\`.`,
    };
  }
  if (!(await portAnswers(descriptor.proxy.webPort))) {
    return {
      running: false,
      descriptor,
      problem: `The sandbox (PID ${descriptor.pid}) does not answer on 127.0.0.1:${descriptor.proxy.webPort}; restart it with \`npm run sandbox\`.`,
    };
  }
  return { running: true, descriptor, problem: null };
}

/** Writes the descriptor atomically (a reader never sees half a file). */
export function writeSandboxDescriptor(dataDir: string, descriptor: SandboxDescriptor): string {
  const file = sandboxDescriptorPath(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(SandboxDescriptorSchema.parse(descriptor), null, 2)}\n`);
  fs.renameSync(temp, file);
  return file;
}

/** Removes the descriptor if it is this process's (a newer sandbox's file is left alone). */
export function removeSandboxDescriptor(dataDir: string, pid: number = process.pid): void {
  const { descriptor } = readSandboxDescriptor(dataDir);
  if (descriptor && descriptor.pid !== pid) return;
  fs.rmSync(sandboxDescriptorPath(dataDir), { force: true });
}
