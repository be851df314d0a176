import { InvalidArgumentError, Option, type Command } from 'commander';

/**
 * Commander argument parser for whole numbers with a lower bound, with the exact
 * message users see: "Expected an integer from 1 and up, got 0".
 */
export function integer(min: number): (value: string) => number {
  return (value: string) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < min) {
      throw new InvalidArgumentError(`Expected an integer from ${min} and up, got ${JSON.stringify(value)}.`);
    }
    return number;
  };
}

/** Commander argument parser for regular expressions, reporting the syntax error. */
export function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (error) {
    throw new InvalidArgumentError(`Not a valid regular expression: ${(error as Error).message}`);
  }
}

/** How `check` and `read` take --digest / --tabs / --max-strips. */
export interface OpenFlags {
  digest?: boolean;
  tabs?: boolean;
  maxStrips: number;
}

/**
 * Adds --digest, --tabs (each overrides the config's `open` for one run) and --max-strips.
 *
 * @example
 * openOptions(program.command('read')).action((flags: OpenFlags) => openMode(flags));
 */
export function openOptions(command: Command): Command {
  return command
    .addOption(new Option('--digest', "put the unread strips on one page, opened in one tab (default: the config's \"open\", else tabs)").conflicts('tabs'))
    .addOption(new Option('--tabs', 'open each unread strip in a tab of its own'))
    .option('--max-strips <n>', 'most strips on one digest page; the rest stay unread', integer(1), 200);
}

/** The mode the flags ask for, or undefined to follow the config. */
export function openMode(flags: OpenFlags): 'digest' | 'tabs' | undefined {
  return flags.digest ? 'digest' : flags.tabs ? 'tabs' : undefined;
}
