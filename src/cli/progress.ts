import { StatusLine, type Output } from './terminal.js';

/**
 * A progress line on a terminal's stderr, drawn from the latest state a command
 * reported and redrawn now and then while nothing is reported (slow hosts,
 * delays), so rates stay honest. Silent when the output is not a terminal.
 *
 * @example
 * const progress = new ProgressBar(stderr, (p: { done: number; total: number }) => `${bar(p.done, p.total)} ${p.done} done`);
 * progress.update({ done: 3, total: 10 }); ... progress.clear();
 */
export class ProgressBar<T> {
  readonly #line: StatusLine;
  readonly #render: (state: T) => string;
  readonly #timer: NodeJS.Timeout;
  #last: T | null = null;

  constructor(output: Output, render: (state: T) => string) {
    this.#line = new StatusLine(output, { intervalMs: 100 });
    this.#render = render;
    this.#timer = setInterval(() => this.#draw(true), 500);
    this.#timer.unref();
  }

  update(state: T): void {
    this.#last = state;
    this.#draw(false);
  }

  clear(): void {
    clearInterval(this.#timer);
    this.#line.clear();
  }

  #draw(force: boolean): void {
    if (this.#last !== null) this.#line.update(this.#render(this.#last), force);
  }
}

/**
 * A text bar: `[#####---------------]`.
 *
 * @example
 * bar(1, 4, 8) // '[##------]'
 */
export function bar(done: number, total: number, width = 20): string {
  const filled = total <= 0 ? 0 : Math.min(width, Math.round((done / total) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}
