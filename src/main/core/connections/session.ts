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
): Promise<Ssh2PtyChannel> {
  const context = { host: connection.host, port: connection.port, hop: 'target' as const };
  const pty = request.pty
    ? { term: request.pty.term ?? 'xterm-256color', cols: request.pty.cols, rows: request.pty.rows }
    : undefined;
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, channel: Ssh2PtyChannel) => {
      if (error) reject(translateSshError(error, context));
      else resolve(channel);
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
