/**
 * Mends the structural breakage real feeds are served with, so that a strict
 * XML parser can read them: truncated documents and elements that are opened
 * but never closed. This is a second attempt, used only when the feed library
 * rejects a document or finds fewer entries than the markup has; the
 * tokenising is htmlparser2's, in XML mode.
 */
import { htmlParser } from './html-parser.js';

/**
 * Returns `text` with unterminated CDATA closed, a trailing partial tag
 * dropped, every element that was never closed before its parent ended
 * turned into an empty element, and the elements still open at the end
 * closed. Elements left open mid-document are read as empty, as
 * feedparser's loose parser does, so that entries written after an unclosed
 * `<itunes:category>` are still seen as entries of the channel.
 *
 * @example
 * repairMarkup('<rss><channel><item><title>A</title></item><item><title>B</tit');
 * // '<rss><channel><item><title>A</title></item><item><title>B</title></item></channel></rss>'
 */
export function repairMarkup(text: string): string {
  let source = dropLateDeclaration(closeCdata(dropPartialTag(text)));
  const open: { name: string; end: number; selfClosing: boolean }[] = [];
  const inserts: { at: number; text: string }[] = [];
  let ending = false;
  let tail = '';
  const parser = new (htmlParser())(
    {
      onopentag(name) {
        const end = parser.endIndex;
        open.push({ name, end, selfClosing: source[end - 1] === '/' });
      },
      onclosetag(name, isImplied) {
        const element = open.pop();
        if (!isImplied || element === undefined || element.selfClosing) return;
        if (ending) tail += `</${name}>`;
        else inserts.push({ at: element.end + 1, text: `</${name}>` });
      },
    },
    { xmlMode: true },
  );
  parser.write(source);
  ending = true;
  parser.end();
  if (inserts.length > 0) {
    inserts.sort((a, b) => a.at - b.at);
    const parts: string[] = [];
    let from = 0;
    for (const insert of inserts) {
      parts.push(source.slice(from, insert.at), insert.text);
      from = insert.at;
    }
    parts.push(source.slice(from));
    source = parts.join('');
  }
  return source + tail;
}

/** A document cut off inside a tag (`...</tit`, `<![CD`) loses the fragment. */
function dropPartialTag(text: string): string {
  const lastOpen = text.lastIndexOf('<');
  if (lastOpen < 0 || text.indexOf('>', lastOpen) >= 0) return text;
  // Inside a CDATA section a lone '<' is text, not a partial tag.
  const cdata = text.lastIndexOf('<![CDATA[', lastOpen);
  if (cdata >= 0 && cdata !== lastOpen && text.indexOf(']]>', cdata) < 0) return text;
  return text.slice(0, lastOpen);
}

/** An XML declaration after a comment or text (a template's header) stops a parser; it says nothing we need. */
function dropLateDeclaration(text: string): string {
  const at = text.indexOf('<?xml');
  if (at <= 0 || /^\uFEFF?$/.test(text.slice(0, at))) return text;
  const end = text.indexOf('?>', at);
  return end < 0 ? text : text.slice(0, at) + text.slice(end + 2);
}

function closeCdata(text: string): string {
  const start = text.lastIndexOf('<![CDATA[');
  if (start < 0 || text.indexOf(']]>', start) >= 0) return text;
  return `${text}]]>`;
}

/**
 * For each entry element (`<item>`, or `<entry>` in Atom) in document order: whether
 * it holds nothing at all, no text and no attribute anywhere inside it. The feed
 * library leaves such entries out; feedparser, the reference reader, keeps them.
 *
 * @example
 * emptyEntries('<rss><channel><item><title>A</title></item><item><author/></item></channel></rss>', 'item')
 * // [false, true]
 */
export function emptyEntries(text: string, element: 'item' | 'entry'): boolean[] {
  const found: boolean[] = [];
  let depth = 0;
  let empty = true;
  const local = (name: string): string => name.slice(name.indexOf(':') + 1).toLowerCase();
  const parser = new (htmlParser())(
    {
      onopentag(name, attributes) {
        if (depth === 0 && local(name) === element) {
          depth = 1;
          empty = true;
          return;
        }
        if (depth === 0) return;
        depth++;
        if (Object.keys(attributes).length > 0) empty = false;
      },
      ontext(chunk) {
        if (depth > 0 && chunk.trim() !== '') empty = false;
      },
      oncdatastart() {
        if (depth > 0) empty = false;
      },
      onclosetag() {
        if (depth === 0) return;
        depth--;
        if (depth === 0) found.push(empty);
      },
    },
    { xmlMode: true },
  );
  parser.end(text);
  return found;
}
