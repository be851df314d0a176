import * as v from 'valibot';
import { resolveComic, validateConfig, type ComicEntry, type ComicsConfig } from '../config/comics-config.js';
import { ComicsError } from '../errors.js';
import type { ComicSnapshot, ComicsStore } from '../store/comics-store.js';
import type { ImportItem, ParsedList, Rejected } from './types.js';

/** Names the document; `version` changes only when an older comics could not read it. */
export const EXPORT_FORMAT = 'comics-export';
export const EXPORT_VERSION = 1;

/** One comic of an export: its config entry, with the state and strips recorded for it. */
export type ExportedComic = ComicEntry & {
  state: ComicSnapshot['state'] | null;
  strips: ComicSnapshot['strips'];
};

/** `comics export --format json`: everything needed to carry a reader to another machine. */
export interface ComicsExport {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  comics: ExportedComic[];
}

/**
 * The JSON export: every followed comic's config entry, its recorded state
 * (validators, last check, health) and every strip with its read state, so
 * that `comics import` on another machine continues exactly where this one is.
 *
 * @example
 * const document = buildExport(loadConfig(configPath), store, new Date());
 */
export function buildExport(config: ComicsConfig, store: ComicsStore, now: Date): ComicsExport {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    comics: config.comics.map((entry) => {
      const snapshot = store.snapshot(entry.name);
      // State recorded for another feed (the config was edited) is not this comic's.
      const current = snapshot !== null && snapshot.state.feed === resolveComic(entry).source ? snapshot : null;
      return { ...entry, state: current?.state ?? null, strips: current?.strips ?? [] };
    }),
  };
}

const nullableString = v.nullable(v.string());
const StateSchema = v.object({
  feed: v.string(),
  etag: nullableString,
  lastModified: nullableString,
  baselinedAt: nullableString,
  lastChecked: nullableString,
  lastSuccess: nullableString,
  lastError: nullableString,
  errorCode: nullableString,
  failureStreak: v.pipe(v.number(), v.integer(), v.minValue(0)),
  failingSince: v.optional(nullableString, null),
});
const StripSchema = v.object({
  key: v.string(),
  url: nullableString,
  title: nullableString,
  published: nullableString,
  image: nullableString,
  // Exports written before strips kept their images' texts have none of these.
  imageAlt: v.optional(nullableString, null),
  imageTitle: v.optional(nullableString, null),
  imageLookedAt: v.optional(nullableString, null),
  imageNote: v.optional(nullableString, null),
  position: v.pipe(v.number(), v.integer()),
  orderAt: v.optional(nullableString, null),
  firstSeen: v.string(),
  readAt: nullableString,
  readVia: v.nullable(v.picklist(['baseline', 'opened', 'digest', 'mark-read', 'duplicate', 'skipped', 'archive'])),
  skipped: nullableString,
});
const SnapshotSchema = v.object({ state: v.nullable(StateSchema), strips: v.optional(v.array(StripSchema), []) });

/**
 * Reads a comics export, or a plain config file (`{"comics": [...]}`, whose
 * comics are baselined like `comics add`). Each comic is checked on its own:
 * a bad one is rejected with its index and field, the others are imported.
 * Throws E_USAGE when the document is neither.
 *
 * @example
 * const { items, rejected } = readExport(JSON.parse(text), 'backup.json');
 */
export function readExport(json: unknown, label: string): ParsedList {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { comics?: unknown }).comics)) {
    throw new ComicsError('E_USAGE', `${label}: not a comics export or config (expected {"comics": [...]})`);
  }
  const document = json as { format?: unknown; version?: unknown; comics: unknown[] };
  if (document.format !== undefined && document.format !== EXPORT_FORMAT) {
    throw new ComicsError('E_USAGE', `${label}: "format" is ${JSON.stringify(document.format)}, not "${EXPORT_FORMAT}"`);
  }
  if (typeof document.version === 'number' && document.version > EXPORT_VERSION) {
    throw new ComicsError('E_USAGE', `${label}: export version ${document.version} was written by a newer comics (this one reads ${EXPORT_VERSION}): upgrade comics`);
  }
  const items: ImportItem[] = [];
  const rejected: Rejected[] = [];
  document.comics.forEach((raw, index) => {
    const where = `comics[${index}]`;
    if (typeof raw !== 'object' || raw === null) return void rejected.push({ where, reason: 'must be an object' });
    const { state, strips, ...entry } = raw as Record<string, unknown>;
    let valid: ComicEntry;
    try {
      // The config's own validation, so messages name the field as they do for the config file.
      valid = validateConfig({ comics: [entry] }, where).comics[0]!;
    } catch (error) {
      return void rejected.push({ where, reason: (error as Error).message.replace(`${where}: comics[0]`, '').replace(/^[ ,:]+/, '') });
    }
    const parsed = v.safeParse(SnapshotSchema, { state: state ?? null, strips });
    if (!parsed.success) {
      const issue = parsed.issues[0]!;
      const path = (issue.path ?? []).map((item) => (typeof item.key === 'number' ? `[${item.key}]` : `.${String(item.key)}`)).join('');
      return void rejected.push({ where, reason: `${path.replace(/^\./, '')}: ${issue.message}` });
    }
    const snapshot = parsed.output.state === null ? null : { state: parsed.output.state, strips: parsed.output.strips };
    if (snapshot !== null && snapshot.state.feed !== resolveComic(valid).source) {
      return void rejected.push({ where, reason: `its state belongs to ${snapshot.state.feed}, not to the comic's ${resolveComic(valid).source}` });
    }
    items.push({ where, entry: valid, snapshot });
  });
  return { format: 'json', items, rejected };
}
