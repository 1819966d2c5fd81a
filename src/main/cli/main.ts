/**
 * The `onehop` CLI host: parse the command line, open the core, call it through the typed
 * contract (an in-process transport under `createClient`, exactly what the UIs use), print, and
 * return the exit code. No settings logic lives here.
 *
 * Arguments are parsed with `node:util` parseArgs (strict): the CLI has a handful of commands
 * and flags, and a framework would cost start-up time and a dependency for no gain.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { RpcTransport } from '../../shared/contract';
import {
  FLAGS,
  synopsis,
  UsageError,
  type CommandSpec,
  type FlagName,
  type FlagValues,
} from './command';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, USAGE } from './usage';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Ctrl-C; the process entry point wires SIGINT/SIGTERM to it. */
  signal?: AbortSignal;
}

/** One per process, even if the module were evaluated twice. */
const INTERRUPT = Symbol.for('onehop.cli.interrupt');
/**
 * conf's atomic writer (`atomically` → `when-exit`) hooks SIGINT/SIGTERM and re-raises the
 * signal to this process a few milliseconds after the first one; that echo is not a person
 * pressing Ctrl-C twice, who cannot be this fast.
 */
const SIGNAL_ECHO_MS = 250;

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: interruptSignal(),
};

/** The first Ctrl-C (or SIGTERM) cancels the running command; a second one ends the process. */
function interruptSignal(): AbortSignal {
  const shared = globalThis as { [INTERRUPT]?: AbortSignal };
  if (shared[INTERRUPT]) return shared[INTERRUPT];
  const controller = new AbortController();
  shared[INTERRUPT] = controller.signal;
  let firstAt = 0;
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      if (Date.now() - firstAt > SIGNAL_ECHO_MS) process.exit(130);
      return;
    }
    firstAt = Date.now();
    controller.abort(new Error(`Interrupted (${name}).`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

/** Runs one command line and returns the exit code; never throws, never calls process.exit. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await run(argv, io);
  } catch (error) {
    // A bug or a broken install (a module that fails to load): still one line, still exit 1.
    io.stderr(`onehop: ${oneLine(`Unexpected error: ${describe(error)}`)}\n`);
    return EXIT_FAILURE;
  }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const fail = (message: string, code: number): number => {
    io.stderr(`onehop: ${oneLine(message)}\n`);
    return code;
  };

  let invocation: Invocation;
  try {
    const parsed = parseFlags(argv);
    if (parsed.kind !== 'parsed') {
      io.stdout(parsed.kind === 'help' ? USAGE : `${packageVersion()}\n`);
      return EXIT_OK;
    }
    // Everything below loads zod, conf and the core (~0.4 s); --help and --version need none of it.
    const [
      { sitesCommands },
      { hostsCommands },
      { signInCommands },
      { sshConfigCommands },
      { sshCommands },
      { tunnelCommands },
    ] = await Promise.all([
      import('./commands/sites'),
      import('./commands/hosts'),
      import('./commands/signin'),
      import('./commands/sshConfig'),
      import('./commands/ssh'),
      import('./commands/tunnels'),
    ]);
    invocation = resolveCommand(
      [
        ...sitesCommands,
        ...hostsCommands,
        ...signInCommands,
        ...sshConfigCommands,
        ...sshCommands,
        ...tunnelCommands,
      ],
      parsed,
    );
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, EXIT_USAGE);
    throw error;
  }

  const [{ createCore, resolveDataDir }, { ContractError, createClient }, { systemOpener }] =
    await Promise.all([
      import('../core/index'),
      import('../../shared/contract'),
      import('../core/signin/browser'),
    ]);
  let core;
  try {
    core = createCore({
      dataDir: resolveDataDir(),
      host: 'cli',
      version: packageVersion(),
      openUrl: systemOpener(),
    });
  } catch (error) {
    if (error instanceof ContractError) return fail(error.message, EXIT_FAILURE);
    return fail(`Could not open the settings: ${describe(error)}`, EXIT_FAILURE);
  }
  const transport: RpcTransport = {
    invoke: (command, payload) => core.dispatcher.dispatch(command, payload),
    subscribe: (listener) => core.events.subscribe(listener),
  };
  const client = createClient(transport);
  try {
    // A settings file that had to be moved aside is reported by whichever process found it.
    const { notices } = await client.call('settings.get', {});
    for (const notice of notices) {
      io.stderr(`onehop: warning: ${oneLine(`${notice.title}: ${notice.message}`)}\n`);
    }

    const code = await invocation.spec.run({
      client,
      args: invocation.args,
      flags: invocation.flags,
      rest: invocation.rest,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal ?? new AbortController().signal,
      core,
    });
    return code ?? EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message, EXIT_USAGE);
    if (error instanceof ContractError) return fail(error.message, EXIT_FAILURE);
    return fail(`Unexpected error: ${describe(error)}`, EXIT_FAILURE);
  } finally {
    await core.close();
  }
}

type ParsedFlags =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'parsed'; positionals: string[]; flags: FlagValues; rest: string[] };

interface Invocation {
  spec: CommandSpec;
  args: string[];
  flags: FlagValues;
  rest: string[];
}

/** argv → flags and words; throws UsageError for unknown or malformed flags. */
export function parseFlags(argv: string[]): ParsedFlags {
  // Words after `--` are never flags: `onehop ssh host -- ls -la`.
  const dash = argv.indexOf('--');
  const rest = dash < 0 ? [] : argv.slice(dash + 1);
  const own = dash < 0 ? argv : argv.slice(0, dash);
  let parsed;
  try {
    parsed = parseArgs({ args: own, options: FLAGS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const flags: FlagValues = parsed.values;
  const positionals = parsed.positionals;
  if (flags.help || positionals[0] === 'help') return { kind: 'help' };
  if (flags.version) return { kind: 'version' };
  return { kind: 'parsed', positionals, flags, rest };
}

/** Words and flags → the command to run; throws UsageError for anything that does not fit. */
export function resolveCommand(
  commands: readonly CommandSpec[],
  { positionals, flags, rest = [] }: { positionals: string[]; flags: FlagValues; rest?: string[] },
): Invocation {
  if (positionals.length === 0) {
    throw new UsageError('Missing command. Run "onehop --help" to see the commands.');
  }
  const spec = findCommand(commands, positionals);
  if (!spec) {
    throw new UsageError(
      `Unknown command "${positionals.slice(0, 2).join(' ')}". Run "onehop --help" to see the commands.`,
    );
  }
  const usage = synopsis(spec);
  const args = positionals.slice(spec.words.length);
  if (args.length < spec.args.length) {
    throw new UsageError(`Missing <${spec.args[args.length]}>. Usage: ${usage}`);
  }
  const maxArgs = spec.args.length + (spec.optionalArgs?.length ?? 0);
  if (args.length > maxArgs) {
    throw new UsageError(`Unexpected argument "${args[maxArgs]}". Usage: ${usage}`);
  }
  for (const flag of Object.keys(flags) as FlagName[]) {
    if (!spec.flags.includes(flag)) {
      throw new UsageError(
        `"onehop ${spec.words.join(' ')}" has no option --${flag}. Usage: ${usage}`,
      );
    }
  }
  for (const flag of spec.requiredFlags ?? []) {
    if (flags[flag] === undefined) {
      throw new UsageError(`Missing --${flag}. Usage: ${usage}`);
    }
  }
  if (rest.length > 0 && !spec.rest) {
    throw new UsageError(
      `"onehop ${spec.words.join(' ')}" takes nothing after "--". Usage: ${usage}`,
    );
  }
  return { spec, args, flags, rest };
}

/** The command whose words are the longest prefix of the positionals. */
function findCommand(
  commands: readonly CommandSpec[],
  positionals: string[],
): CommandSpec | undefined {
  let best: CommandSpec | undefined;
  for (const spec of commands) {
    const matches = spec.words.every((word, i) => positionals[i] === word);
    if (matches && spec.words.length > (best?.words.length ?? 0)) best = spec;
  }
  // `sites bogus` must be an unknown command, not `sites` with a stray argument.
  const takesArgs = (best?.args.length ?? 0) + (best?.optionalArgs?.length ?? 0) > 0;
  if (best && !takesArgs && positionals.length > best.words.length) return undefined;
  return best;
}

/** parseArgs messages are long and mention JavaScript; say the same in a CLI user's words. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) {
    return `Unknown option ${option}. Run "onehop --help" to see the options.`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return FLAGS[option.replace(/^-+/, '') as FlagName]?.type === 'boolean'
      ? `Option ${option} takes no value.`
      : `Option ${option} needs a value.`;
  }
  return oneLine(message);
}

function packageVersion(): string {
  const text = fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

/** Messages go to stderr as ONE line, whatever the text (JSON.parse errors quote the file). */
function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
