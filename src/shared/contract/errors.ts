import { z } from 'zod';

/**
 * Typed errors that cross the contract. `code` is for programs, `message` for people: one plain
 * sentence that names the cause and, where there is one, what to do.
 */
export const ErrorCodeSchema = z.enum([
  /** The request did not match the command's schema. */
  'invalid-request',
  /** No such command. */
  'unknown-command',
  /** The named thing (site, host, preset…) does not exist. */
  'not-found',
  /** The request clashes with what exists (duplicate name, port in use…). */
  'conflict',
  /** Settings or secrets could not be read or written. */
  'storage',
  /** The transport refused the caller (wrong token, foreign origin). */
  'unauthorized',
  /** The user (or a timeout) cancelled a long operation such as a sign-in. */
  'cancelled',
  /** A remote service failed or refused: the proxy, the identity provider, the SSH CA. */
  'remote',
  /** A bug: the core failed unexpectedly. */
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const ContractErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  /** Per-field problems for forms, e.g. `{ "bindPort": "must be between 1 and 65535" }`. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type ContractErrorData = z.infer<typeof ContractErrorSchema>;

/** Thrown by clients when a command fails; carries the typed error from the core. */
export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;

  constructor(data: ContractErrorData) {
    super(data.message);
    this.name = 'ContractError';
    this.code = data.code;
    this.fields = data.fields;
  }

  toData(): ContractErrorData {
    return this.fields
      ? { code: this.code, message: this.message, fields: this.fields }
      : { code: this.code, message: this.message };
  }
}

/** Turn zod issues into one readable sentence and a per-field map. */
export function describeZodError(error: z.ZodError, subject = 'request'): ContractErrorData {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    fields[key] ??= issue.message;
  }
  const first = error.issues[0];
  const where = first && first.path.length ? `"${first.path.join('.')}" ` : '';
  const message = first ? `Invalid ${subject}: ${where}${first.message}.` : `Invalid ${subject}.`;
  return { code: 'invalid-request', message, fields };
}
