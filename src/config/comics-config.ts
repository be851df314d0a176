import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import * as v from 'valibot';
import { ComicsError, errorMessage } from '../errors.js';

const httpUrl = v.pipe(
  v.string('must be a string'),
  v.check((value) => {
    try {
      return /^https?:$/.test(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL'),
);
const selector = v.pipe(v.string('must be a CSS selector string'), v.nonEmpty('must not be empty'));

const ComicSchema = v.strictObject(
  {
    name: v.pipe(
      v.string('must be a string'),
      v.trim(),
      v.nonEmpty('must not be empty'),
      v.maxLength(100, 'must be at most 100 characters'),
      // eslint-disable-next-line no-control-regex
      v.regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters'),
    ),
    /** The feed (feed mode) to check. */
    feed: v.optional(httpUrl),
    /** The site, or in page mode the page of the newest strip. */
    url: v.optional(httpUrl),
    /** How many of the newest strips stay unread when the comic is first seen. */
    unread: v.optional(v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(0, 'must be 0 or more'))),
    mode: v.optional(v.picklist(['feed', 'page'], 'must be "feed" or "page"')),
    selectors: v.optional(
      v.strictObject(
        {
          latest: v.optional(selector),
          image: v.optional(selector),
          prev: v.optional(selector),
          key: v.optional(selector),
        },
        'must be an object of CSS selectors',
      ),
    ),
    maxWalk: v.optional(v.pipe(v.number('must be a number'), v.integer('must be an integer'), v.minValue(1, 'must be 1 or more'))),
    tags: v.optional(v.array(v.pipe(v.string('must be a string'), v.trim(), v.nonEmpty('must not be empty')), 'must be an array of strings')),
    /** `comics check` archives each new strip's image (see `comics archive`). */
    archive: v.optional(v.boolean('must be true or false')),
  },
  'must be an object',
);

/** How `check` and `read` show unread strips by default: a tab each, or one digest page. */
export const OPEN_MODES = ['tabs', 'digest'] as const;
export type OpenMode = (typeof OPEN_MODES)[number];

const ConfigSchema = v.strictObject(
  {
    $schema: v.optional(v.string()),
    /** The default for `check` and `read`; `--tabs` / `--digest` override it for one run. */
    open: v.optional(v.picklist(OPEN_MODES, 'must be "tabs" or "digest"')),
    comics: v.array(ComicSchema, 'must be an array of comics'),
  },
  'must be an object',
);

/** One followed comic as written in config/comics.json. */
export type ComicEntry = v.InferOutput<typeof ComicSchema>;
export type ComicsConfig = v.InferOutput<typeof ConfigSchema>;

/** A comic with its defaults filled in, as commands use it. */
export interface Comic extends ComicEntry {
  mode: 'feed' | 'page';
  /** What is fetched: the feed, or in page mode the page. */
  source: string;
}

/** Fills in defaults. */
export function resolveComic(entry: ComicEntry): Comic {
  const mode = entry.mode ?? 'feed';
  return { ...entry, mode, source: (mode === 'page' ? entry.url : entry.feed) ?? '' };
}

/**
 * Reads and validates the config file. A missing file is an empty config when
 * `missingOk`, else a clear error. Errors name the file, the entry and the field:
 * `config/comics.json: comics[2] ("xkcd"): "feed" must be an absolute http(s) URL`.
 */
export function loadConfig(file: string, options: { missingOk?: boolean } = {}): ComicsConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      if (options.missingOk) return { comics: [] };
      throw new ComicsError('E_CONFIG', `${display(file)}: no such config file (add a comic with: comics add <url>)`, {
        cause: error,
      });
    }
    throw new ComicsError('E_CONFIG', `${display(file)}: cannot read: ${errorMessage(error)}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ComicsError('E_CONFIG', `${display(file)}: not valid JSON: ${errorMessage(error)}`, { cause: error });
  }
  return validateConfig(json, display(file));
}

/** Validates parsed JSON; `label` names the file in messages. */
export function validateConfig(json: unknown, label: string): ComicsConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ComicsError('E_CONFIG', `${label}: must hold an object like {"comics": [...]}`);
  }
  const result = v.safeParse(ConfigSchema, json);
  if (!result.success) {
    const messages = result.issues.slice(0, 5).map((issue) => `${label}: ${describeIssue(issue)}`);
    const more = result.issues.length > 5 ? `\n(and ${result.issues.length - 5} more problems)` : '';
    throw new ComicsError('E_CONFIG', messages.join('\n') + more);
  }
  const config = result.output;
  const problems: string[] = [];
  const names = new Map<string, number>();
  const sources = new Map<string, number>();
  config.comics.forEach((entry, index) => {
    const where = `comics[${index}] (${JSON.stringify(entry.name)})`;
    const field = (name: string): string => `${where}, field "${name}"`;
    const comic = resolveComic(entry);
    if (comic.mode === 'feed' && entry.feed === undefined) problems.push(`${field('feed')}: is required (or set "mode": "page" and "url")`);
    if (comic.mode === 'page' && entry.url === undefined) problems.push(`${field('url')}: is required in page mode`);
    const name = entry.name.toLowerCase();
    if (names.has(name)) problems.push(`${field('name')}: duplicates comics[${names.get(name)}]`);
    else names.set(name, index);
    if (comic.source && sources.has(comic.source)) {
      problems.push(`${field(comic.mode === 'page' ? 'url' : 'feed')}: duplicates comics[${sources.get(comic.source)}]`);
    } else if (comic.source) sources.set(comic.source, index);
  });
  if (problems.length > 0) throw new ComicsError('E_CONFIG', problems.map((p) => `${label}: ${p}`).join('\n'));
  return config;
}

/** Writes the config atomically (temporary file, then rename), pretty-printed. */
export function saveConfig(file: string, config: ComicsConfig): void {
  const validated = validateConfig(config, display(file));
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(temporary, `${JSON.stringify(validated, null, 2)}\n`);
    renameSync(temporary, file);
  } catch (error) {
    throw new ComicsError('E_CONFIG', `${display(file)}: cannot write: ${errorMessage(error)}`, { cause: error });
  }
}

/**
 * A feed's or page's title made into a comic name: control characters (C0,
 * DEL, C1) and bidi overrides out, whitespace collapsed, at most 100
 * characters; '' when nothing is left.
 *
 * @example
 * nameFromTitle('  xkcd\u001b[2J.com \n') // 'xkcd [2J.com'
 */
export function nameFromTitle(title: string | null | undefined): string {
  return (title ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 100)
    .trim();
}

/** Finds a comic by name, case-insensitively, with a "did you mean" hint when missing. */
export function findComic(config: ComicsConfig, name: string): ComicEntry {
  const wanted = name.trim().toLowerCase();
  const found = config.comics.find((comic) => comic.name.toLowerCase() === wanted);
  if (found) return found;
  const near = config.comics.map((comic) => comic.name).filter((other) => other.toLowerCase().includes(wanted.slice(0, 3)));
  const hint = near.length > 0 ? ` (did you mean ${near.slice(0, 3).map((n) => JSON.stringify(n)).join(', ')}?)` : '';
  throw new ComicsError('E_NOT_FOUND', `No comic named ${JSON.stringify(name)} is followed${hint}; see comics list`);
}

const KNOWN_FIELDS = 'name, feed, url, unread, mode, selectors, maxWalk, tags, archive';

/** `comics[2] ("xkcd"), field "feed": must be ...` from a valibot issue. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path ?? [];
  let entry = '';
  let field = '';
  path.forEach((item, depth) => {
    const key = item.key as string | number;
    if (depth === 0) entry = String(key);
    else if (depth === 1 && typeof key === 'number') {
      const name = (item.value as { name?: unknown } | undefined)?.name;
      entry += `[${key}]${typeof name === 'string' ? ` (${JSON.stringify(name)})` : ''}`;
    } else field += typeof key === 'number' ? `[${key}]` : field ? `.${key}` : key;
  });
  const isObjectIssue = issue.type === 'strict_object' || issue.type === 'object';
  let what: string;
  if (isObjectIssue && issue.received === 'undefined') what = 'is required';
  else if (isObjectIssue && issue.expected === 'never') {
    what = field.startsWith('selectors.')
      ? 'is not a known selector (known: latest, image, prev, key)'
      : entry.includes('[')
        ? `is not a known field (known: ${KNOWN_FIELDS})`
        : 'is not a known top-level field (known: comics, open)';
  } else what = `${issue.message}${issue.received && issue.received !== 'never' ? `, got ${issue.received}` : ''}`;
  if (field === '') return `${entry.includes('[') ? entry : `field "${entry}"`}: ${what}`;
  return `${entry}, field "${field}": ${what}`;
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}
