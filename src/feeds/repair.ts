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
  let source = closeCdata(dropPartialTag(text));
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

function closeCdata(text: string): string {
  const start = text.lastIndexOf('<![CDATA[');
  if (start < 0 || text.indexOf(']]>', start) >= 0) return text;
  return `${text}]]>`;
}
