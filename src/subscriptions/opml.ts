import type { Opml } from 'feedsmith';
import type { ComicEntry } from '../config/comics-config.js';
import { ComicsError, errorMessage } from '../errors.js';
import { loadFeedsmith } from '../feeds/xml-feed.js';
import type { ImportItem, ParsedList, Rejected } from './types.js';

type Outline = Opml.Outline<string>;

/**
 * Reads OPML as feed readers write it (parsed by feedsmith): every outline with
 * an `xmlUrl` is a feed comic; `type="link"` outlines with a `url` (how
 * `comics export` writes page-mode comics) are page-mode comics. Folder
 * outlines (nested to any depth) and `category` attributes
 * (`/Comics/Daily,/Funny`) become tags. Throws E_USAGE when the text is not OPML.
 *
 * @example
 * readOpml('<opml version="2.0"><body><outline text="Daily"><outline text="xkcd" xmlUrl="https://xkcd.com/atom.xml"/></outline></body></opml>').items[0]?.entry
 * // { name: 'xkcd', feed: 'https://xkcd.com/atom.xml', tags: ['Daily'] }
 */
export function readOpml(text: string, label: string): ParsedList {
  let document: Opml.Document<string>;
  try {
    document = loadFeedsmith().parseOpml(text);
  } catch (error) {
    throw new ComicsError('E_USAGE', `${label}: not valid OPML: ${errorMessage(error)}`, { cause: error });
  }
  const items: ImportItem[] = [];
  const rejected: Rejected[] = [];
  const visit = (outlines: Outline[] | undefined, folders: string[]): void => {
    for (const outline of outlines ?? []) {
      if (outline.isComment) continue;
      const title = (outline.title ?? outline.text ?? '').trim();
      const where = `outline ${JSON.stringify(title || outline.xmlUrl || outline.url || '(untitled)')}`;
      const tags = unique([...folders, ...categories(outline.category)]);
      const withTags = tags.length > 0 ? { tags } : {};
      const page = outline.type?.toLowerCase() === 'link' && outline.url !== undefined;
      if (outline.xmlUrl !== undefined || page) {
        const source = (outline.xmlUrl ?? outline.url ?? '').trim();
        if (!/^https?:\/\//i.test(source)) {
          rejected.push({ where, reason: `${JSON.stringify(source)} is not an absolute http(s) URL` });
          continue;
        }
        const site = outline.htmlUrl?.trim();
        const entry: ComicEntry = page
          ? { name: title, mode: 'page', url: source, ...withTags }
          : { name: title, feed: source, ...(site && /^https?:\/\//i.test(site) ? { url: site } : {}), ...withTags };
        items.push({ where, entry, snapshot: null });
      }
      // Folders, and feeds with children (some readers nest), pass their title down as a tag.
      if (outline.outlines !== undefined) visit(outline.outlines, title ? unique([...folders, title]) : folders);
    }
  };
  visit(document.body?.outlines, []);
  return { format: 'opml', items, rejected };
}

/** OPML 2.0 categories: comma-separated, slash-delimited paths; each segment is a tag. */
function categories(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').flatMap((path) => path.split('/').map((part) => part.trim()).filter(Boolean));
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * OPML 2.0 for other feed readers: feed comics as `type="rss"` outlines, page-mode
 * comics as `type="link"` outlines (which feed readers skip and `comics import`
 * reads back as page mode), tags as categories. Read state and selectors are
 * not in OPML: the JSON export carries them.
 *
 * @example
 * writeOpml([{ name: 'xkcd', feed: 'https://xkcd.com/atom.xml', tags: ['daily'] }], new Date());
 */
export function writeOpml(comics: readonly ComicEntry[], now: Date): string {
  const outlines: Outline[] = comics.map((comic) => {
    const category = comic.tags?.length ? { category: comic.tags.map((tag) => `/${tag.replace(/[,/]/g, ' ')}`).join(',') } : {};
    if (comic.mode === 'page') return { text: comic.name, title: comic.name, type: 'link', url: comic.url!, htmlUrl: comic.url!, ...category };
    return { text: comic.name, title: comic.name, type: 'rss', xmlUrl: comic.feed!, ...(comic.url ? { htmlUrl: comic.url } : {}), ...category };
  });
  return loadFeedsmith().generateOpml({ head: { title: 'comics subscriptions', dateCreated: now }, body: { outlines } });
}
