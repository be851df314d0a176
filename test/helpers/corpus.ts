import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The shared test corpus, read in place (never copied into the repository):
 * `../shared/corpus` beside the checkout, or `COMICS_CORPUS`.
 */
export const CORPUS: URL = process.env.COMICS_CORPUS
  ? pathToFileURL(`${resolve(process.env.COMICS_CORPUS)}/`)
  : new URL('../../../shared/corpus/', import.meta.url);

/** Why corpus tests are skipped, in their title, so the test summary says it. */
export const CORPUS_ABSENT = `${process.env.COMICS_CORPUS ?? '../shared/corpus'} is absent`;

/**
 * A vitest reporter that ends the run's summary with a note when the corpus tests
 * were skipped for want of the corpus (a fresh clone without ../shared).
 */
export class CorpusNote {
  onTestRunEnd(): void {
    if (existsSync(new URL('expected.jsonl', CORPUS))) return;
    process.stdout.write(`\nNote: the corpus conformance tests were skipped: ${CORPUS_ABSENT} (set COMICS_CORPUS to its path to run them).\n`);
  }
}
