#!/usr/bin/env node
import { CommanderError } from 'commander';
import { setMaxListeners } from 'node:events';
import { isComicsError } from '../errors.js';
import { createProgram } from './program.js';
import type { Output } from './terminal.js';

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
 * messages and exit codes: expected errors (ComicsError) print one line, never a
 * stack; anything else is a bug and prints its stack.
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
    if (error instanceof CommanderError) {
      // Help and --version end with exitCode 0; usage mistakes were already explained by commander.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (isComicsError(error)) {
      stderr.write(`comics: ${error.message}\n`);
      return error.code === 'E_USAGE' || error.code === 'E_CONFIG' ? EXIT_USAGE : EXIT_FAILED;
    }
    if (error instanceof Error && error.name === 'SqliteError') {
      stderr.write(`comics: database error: ${error.message}\n`);
      return EXIT_FAILED;
    }
    stderr.write(`comics: unexpected error (please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_FAILED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

process.exitCode = await runCli(process.argv);
