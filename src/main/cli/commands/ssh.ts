/**
 * `onehop ssh [-p PORT] [--site S] [--accept-new-host-key] [login@]host [-- command …]`.
 * With a terminal on stdin: an interactive pty (raw mode, window size followed). Otherwise plain
 * streams without a pty, byte for byte, stdout and stderr kept apart — so it works in pipes and
 * scripts. Exit code: the remote one; 255 when the connection fails, as OpenSSH.
 */
import type { ResolvedRoute } from '../../core/connections';
import { openSessionChannel, type SessionChannel } from '../../core/connections';
import { SshError } from '../../core/ssh';
import { portFlag, UsageError, type CommandContext, type CommandSpec } from '../command';

export const EXIT_SSH_FAILED = 255;

/** `login@host` → parts (the last `@` separates, as OpenSSH). */
export function parseDestination(text: string): { login?: string; hostName: string } {
  const at = text.lastIndexOf('@');
  const login = at > 0 ? text.slice(0, at) : undefined;
  const hostName = at >= 0 ? text.slice(at + 1) : text;
  if (!hostName) throw new UsageError(`"${text}" names no host; use [login@]host.`);
  return login === undefined ? { hostName } : { login, hostName };
}

async function session(context: CommandContext): Promise<number> {
  const { core, flags, rest, signal, stderr } = context;
  const destination = parseDestination(context.args[0] ?? '');
  const port = portFlag(flags.port, 'port');
  let route: ResolvedRoute;
  try {
    route = await core.resolveRoute({
      ...destination,
      ...(port === undefined ? {} : { port }),
      ...(flags.site ? { site: flags.site } : {}),
    });
  } catch (error) {
    if (error instanceof SshError) {
      stderr(`onehop: ${error.message}\n`);
      return EXIT_SSH_FAILED;
    }
    throw error;
  }
  const lease = await core.pool.acquire(route, {
    signal,
    unknownKey: flags['accept-new-host-key'] ? 'accept-new' : 'refuse',
  });
  try {
    // As OpenSSH: the words after `--` are joined with spaces for the remote shell.
    const command = rest.length > 0 ? rest.join(' ') : undefined;
    const interactive = process.stdin.isTTY && process.stdout.isTTY;
    const channel = await openSessionChannel(lease.connection, {
      ...(command === undefined ? {} : { command }),
      ...(interactive
        ? {
            pty: {
              cols: process.stdout.columns || 80,
              rows: process.stdout.rows || 24,
              term: process.env.TERM || 'xterm-256color',
            },
          }
        : {}),
    });
    return await (interactive ? runInteractive(channel) : runPlain(channel));
  } finally {
    lease.release();
  }
}

/** The remote exit code; 255 when the command died of a signal or sent none, as OpenSSH. */
async function exitCodeOf(channel: SessionChannel): Promise<number> {
  const { code } = await channel.exited;
  return code ?? EXIT_SSH_FAILED;
}

async function runPlain(channel: SessionChannel): Promise<number> {
  const done = exitCodeOf(channel);
  channel.pipe(process.stdout, { end: false });
  channel.stderr.pipe(process.stderr, { end: false });
  // stdin → remote; its end is sent as EOF (so `onehop ssh h -- cat < file` ends).
  const stdin = process.stdin;
  stdin.pipe(channel);
  const code = await done;
  stdin.unpipe(channel);
  stdin.pause();
  stdin.destroy();
  await drained(process.stdout);
  return code;
}

async function runInteractive(channel: SessionChannel): Promise<number> {
  const done = exitCodeOf(channel);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  const onResize = () => channel.setWindow(process.stdout.rows, process.stdout.columns, 0, 0);
  process.stdout.on('resize', onResize);
  channel.pipe(process.stdout, { end: false });
  channel.stderr.pipe(process.stderr, { end: false });
  stdin.pipe(channel);
  try {
    return await done;
  } finally {
    process.stdout.off('resize', onResize);
    stdin.unpipe(channel);
    stdin.setRawMode(false);
    stdin.pause();
  }
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write('')) resolve();
    else stream.once('drain', () => resolve());
  });
}

export const sshCommands: CommandSpec[] = [
  {
    words: ['ssh'],
    args: ['[login@]host'],
    flags: ['port', 'site', 'accept-new-host-key'],
    rest: true,
    async run(context) {
      try {
        return await session(context);
      } catch (error) {
        if (error instanceof SshError) {
          context.stderr(`onehop: ${error.message}\n`);
          return EXIT_SSH_FAILED;
        }
        throw error;
      }
    },
  },
];
