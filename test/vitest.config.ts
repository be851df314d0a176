import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { CorpusNote } from './helpers/corpus.js';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    reporters: ['default', new CorpusNote()],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
