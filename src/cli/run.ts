import { CommanderError } from 'commander';
import { setMaxListeners } from 'node:events';
import { isComicsError } from '../errors.js';
import { json } from './format.js';
import { createProgram } from './program.js';
import { sanitize, type Output } from './terminal.js';

/** Exit codes: 0 done, 1 something failed (data), 2 usage or configuration error. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * Writes to stdout or stderr. When the reader goes away (`comics history --json |
 * head`), the rest of the output is dropped quietly, as Unix tools do, and the
 * command finishes its work: a check still records and opens what it found.
 */
function output(stream: NodeJS.WriteStream): Output {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return {
    write: (text) => {
      if (!closed) stream.write(text);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}

/**
 * Runs the CLI and returns the exit code. The one place that turns errors into
 * messages and exit codes: expected errors (ComicsError, usage mistakes) print one
 * `comics:` line, never a stack; anything else is a bug and prints its stack. With
 * `--json`, a failure is also one JSON document on stdout: `{"error": {"code", "message"}}`.
 */
export async function runCli(argv: string[]): Promise<number> {
  const controller = new AbortController();
  // Every request in flight listens for Ctrl-C on this one signal.
  setMaxListeners(0, controller.signal);
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nStopping… (press Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stdout = output(process.stdout);
  const stderr = output(process.stderr);
  const args = argv.slice(2);
  const failed = (failure: Failure): number => {
    if (failure.exitCode === EXIT_OK) return EXIT_OK;
    // Messages carry text from servers and feeds (reason phrases, titles): no escape sequence reaches the terminal.
    const message = failure.message.split('\n').map(sanitize).join('\n');
    stderr.write(`comics: ${message}\n${failure.stack ?? ''}`);
    if (wantsJson(args)) stdout.write(json({ error: { code: failure.code, message: failure.message, ...(failure.url ? { url: failure.url } : {}) } }));
    return failure.exitCode;
  };
  try {
    let code = EXIT_OK;
    const program = createProgram({
      stdout,
      stderr,
      env: process.env,
      signal: controller.signal,
      cwd: process.cwd(),
      setExitCode: (value) => {
        code = value;
      },
    });
    await program.parseAsync(argv, { from: 'node' });
    return interrupts > 0 && code === EXIT_OK ? 130 : code;
  } catch (error) {
    return failed(describeFailure(error, args));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

interface Failure {
  code: string;
  message: string;
  url?: string | undefined;
  exitCode: number;
  /** Printed after the message: only for bugs. */
  stack?: string;
}

/** What went wrong, in one line, with its code and exit code. */
function describeFailure(error: unknown, args: readonly string[]): Failure {
  if (error instanceof CommanderError) {
    // Help and --version end with exitCode 0 and have printed what was asked.
    if (error.exitCode === 0) return { code: 'OK', message: '', exitCode: EXIT_OK };
    return { code: 'E_USAGE', message: usageLine(error.message, args), exitCode: EXIT_USAGE };
  }
  if (isComicsError(error)) {
    const usage = error.code === 'E_USAGE' || error.code === 'E_CONFIG' || error.code === 'E_NOT_FOUND';
    return { code: error.code, message: error.message, url: error.url, exitCode: usage ? EXIT_USAGE : EXIT_FAILED };
  }
  if (error instanceof Error && error.name === 'SqliteError') {
    return { code: 'E_STORE', message: `database error: ${error.message}`, exitCode: EXIT_FAILED };
  }
  const stack = (error as Error)?.stack ?? String(error);
  return { code: 'E_UNEXPECTED', message: 'unexpected error (please report it):', stack: `${stack}\n`, exitCode: EXIT_FAILED };
}

/**
 * Commander's two-line complaint (`error: unknown option '--jsn'` / `(Did you mean --json?)`)
 * as one line that says where the usage is explained.
 *
 * @example
 * usageLine("error: unknown option '--jsn'\n(Did you mean --json?)", ['check', '--jsn'])
 * // "unknown option '--jsn' (did you mean --json?); see comics check --help"
 */
export function usageLine(message: string, args: readonly string[]): string {
  const text = message
    .replace(/^error:\s*/i, '')
    .split('\n')
    .map((line) => line.trim().replace(/^\(Did you mean/, '(did you mean'))
    .filter(Boolean)
    .join(' ')
    .replace(/\.$/, '');
  const command = args.find((arg) => COMMANDS.has(arg));
  return `${text}; see comics ${command === undefined ? '' : `${command} `}--help`;
}

const COMMANDS = new Set(['check', 'add', 'remove', 'mark-read', 'list', 'history', 'read', 'doctor', 'import', 'export', 'crawl', 'archive']);

/** Whether the command line asked for JSON (before a `--` that ends the options). */
function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).includes('--json');
}

