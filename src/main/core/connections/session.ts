/**
 * Session channels on a pooled connection: an interactive shell or a command, with or without a
 * pty. `LANG`/`LC_*` travel as OpenSSH's default `SendEnv` sends them (the server decides).
 */
import { translateSshError, type SshConnection, type Ssh2PtyChannel } from '../ssh';

export interface PtyRequest {
  cols: number;
  rows: number;
  term?: string;
}

export interface SessionRequest {
  /** Absent: the login shell. */
  command?: string;
  /** Absent: no pty (plain streams, binary-safe). */
  pty?: PtyRequest;
}

export interface ExitStatus {
  /** null when the command died of a signal (or the server sent no status). */
  code: number | null;
  signal?: string;
}

/** A session channel whose exit status is captured from the moment it opens. */
export type SessionChannel = Ssh2PtyChannel & { exited: Promise<ExitStatus> };

function localeEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && (name === 'LANG' || name.startsWith('LC_'))) env[name] = value;
  }
  return env;
}

export function openSessionChannel(
  connection: SshConnection,
  request: SessionRequest,
): Promise<SessionChannel> {
  const context = { host: connection.host, port: connection.port, hop: 'target' as const };
  const pty = request.pty
    ? { term: request.pty.term ?? 'xterm-256color', cols: request.pty.cols, rows: request.pty.rows }
    : undefined;
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, channel: Ssh2PtyChannel) => {
      if (error) {
        reject(translateSshError(error, context));
        return;
      }
      // A fast command's output, exit status and close can arrive in the same read as the
      // exec confirmation: listen now, before any await lets ssh2 emit 'exit' to nobody.
      const exited = new Promise<ExitStatus>((settle) => {
        let status: ExitStatus = { code: null };
        channel.once('exit', (code: number | null, signal?: string) => {
          status = signal === undefined ? { code } : { code, signal };
        });
        channel.once('close', () => settle(status));
      });
      resolve(Object.assign(channel, { exited }));
    };
    try {
      if (request.command === undefined) {
        connection.client.shell(pty ?? false, { env: localeEnv() }, done);
      } else {
        connection.client.exec(
          request.command,
          { ...(pty ? { pty } : {}), env: localeEnv() },
          done,
        );
      }
    } catch (error) {
      // ssh2 throws synchronously when the connection is already gone.
      reject(translateSshError(error, context));
    }
  });
}
