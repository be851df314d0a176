/**
 * Terminal output helpers: safe text, optional colour, a self-rewriting status line.
 * Everything here writes through the {@link Output} it is given, never to process.*.
 */

/** Where the CLI writes; process.stdout / process.stderr in production, buffers in tests. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Terminal width, when known. */
  readonly columns?: number | undefined;
}

// C0 and C1 controls, DEL, and bidi overrides that could disguise text (Trojan Source).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/**
 * Makes text from feeds and pages safe to print: escape sequences and control
 * characters are removed (a feed cannot move the cursor or retitle the terminal),
 * line breaks and tabs become spaces.
 *
 * @example
 * sanitize('Strip\u001b[2J #1\n') // "Strip #1"
 */
export function sanitize(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text.replace(ANSI, '').replace(/[\t\n\r]+/g, ' ').replace(UNSAFE, '').trim();
}

export interface Colors {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(output: Output, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return output.isTTY && env.TERM !== 'dumb';
}

export function colors(enabled: boolean): Colors {
  const wrap =
    (open: number, close: number) =>
    (text: string): string =>
      enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/**
 * One line of progress on a terminal, rewritten in place and throttled; silent
 * when the output is not a TTY (cron mail and pipes get no progress noise).
 *
 * @example
 * const status = new StatusLine(stderr);
 * status.update(`Checking 3/200`); ... status.clear();
 */
export class StatusLine {
  readonly #output: Output;
  readonly #intervalMs: number;
  #last = 0;
  #shown = false;

  constructor(output: Output, options: { intervalMs?: number } = {}) {
    this.#output = output;
    this.#intervalMs = options.intervalMs ?? 80;
  }

  /** Shows `text` unless the previous update was less than the interval ago (`force` ignores that). */
  update(text: string, force = false): void {
    if (!this.#output.isTTY) return;
    const now = performance.now();
    if (!force && now - this.#last < this.#intervalMs) return;
    this.#last = now;
    const width = Math.max(20, (this.#output.columns ?? 80) - 1);
    const line = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.#output.write(`\r\u001b[2K${line}`);
    this.#shown = true;
  }

  /** Removes the line so the next output starts clean. */
  clear(): void {
    if (!this.#shown) return;
    this.#output.write('\r\u001b[2K');
    this.#shown = false;
  }
}

/**
 * Left-aligned columns; the last column is not padded (it holds free text such as titles).
 *
 * @example
 * table([['xkcd', '2 new'], ['SMBC', 'unchanged']]) // "xkcd  2 new\nSMBC  unchanged"
 */
export function table(rows: string[][], visibleLength: (text: string) => number = plainLength): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell));
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)) : cell))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** Length without colour escapes. */
export function plainLength(text: string): number {
  return text.replace(ANSI, '').length;
}
