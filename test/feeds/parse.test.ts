import { describe, expect, it } from 'vitest';
import { isComicsError, type ComicsError } from '../../src/errors.js';
import { parseFeed } from '../../src/feeds/parse.js';

const URL_ = 'https://comic.test/feed/';

function failure(run: () => unknown): ComicsError {
  try {
    run();
  } catch (error) {
    if (isComicsError(error)) return error;
    throw error;
  }
  throw new Error('expected parseFeed to throw');
}

const rss = (items: string, channel = '<title>Strips</title><link>https://comic.test/</link>', attrs = 'version="2.0"') =>
  `<?xml version="1.0" encoding="UTF-8"?>
<rss ${attrs} xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>${channel}${items}</channel></rss>`;

describe('parseFeed: RSS 2.0', () => {
  it('reads a webcomic feed: key, link, title, date and the strip in the description', () => {
    const feed = parseFeed(
      rss(`
      <item>
        <title>Strip #12: &lt;i&gt;Tea&lt;/i&gt;   Time</title>
        <link>https://comic.test/comic/12/</link>
        <guid isPermaLink="false">comic-12</guid>
        <pubDate>Tue, 02 Mar 2021 23:39:15 +0100</pubDate>
        <description><![CDATA[<p><img src="/strips/12.png" alt="Tea"></p>]]></description>
      </item>`),
      { url: URL_ },
    );
    expect(feed).toEqual({
      version: 'rss20',
      title: 'Strips',
      link: 'https://comic.test/',
      entries: [
        {
          key: 'comic-12',
          url: 'https://comic.test/comic/12/',
          title: 'Strip #12: Tea Time',
          published: '2021-03-02T22:39:15Z',
          image: 'https://comic.test/strips/12.png',
          imageAlt: 'Tea',
          imageTitle: null,
        },
      ],
    });
  });

  it('uses a permalink guid as key and link when there is no <link>', () => {
    const [entry] = parseFeed(rss('<item><guid>https://comic.test/c/3</guid></item>'), { url: URL_ }).entries;
    expect(entry).toMatchObject({ key: 'https://comic.test/c/3', url: 'https://comic.test/c/3' });
  });

  it('does not use a guid as link when isPermaLink="false" or when it is not a URL', () => {
    const entries = parseFeed(rss('<item><guid isPermaLink="false">https://comic.test/c/4</guid></item><item><guid>post-5</guid></item>'), {
      url: URL_,
    }).entries;
    expect(entries.map((e) => [e.key, e.url])).toEqual([
      ['https://comic.test/c/4', null],
      ['post-5', null],
    ]);
  });

  it('keys entries without guid on their resolved link', () => {
    const [entry] = parseFeed(rss('<item><link>/c/7</link></item>'), { url: URL_ }).entries;
    expect(entry).toMatchObject({ key: 'https://comic.test/c/7', url: 'https://comic.test/c/7' });
  });

  it('keys entries with neither guid nor link on a hash of title and date, stable across reads', () => {
    const body = rss('<item><title>A</title><pubDate>2024-01-01</pubDate></item><item><title>B</title></item>');
    const first = parseFeed(body, { url: URL_ }).entries.map((e) => e.key);
    const second = parseFeed(body, { url: URL_ }).entries.map((e) => e.key);
    expect(first[0]).toMatch(/^sha1:[0-9a-f]{40}$/);
    expect(first[0]).not.toBe(first[1]);
    expect(second).toEqual(first);
  });

  it('keeps a javascript: link in url (the caller refuses and records it) but never uses it as image', () => {
    const [entry] = parseFeed(
      rss(`<item><title>x</title><link>javascript:alert(1)</link>
        <description>&lt;img src="javascript:alert(2)"&gt;&lt;img src="data:image/gif;base64,R0lGOD"&gt;&lt;img src="https://cdn.test/real.png"&gt;</description></item>`),
      { url: URL_ },
    ).entries;
    expect(entry?.url).toBe('javascript:alert(1)');
    expect(entry?.image).toBe('https://cdn.test/real.png');
  });

  it('prefers enclosure and Media RSS images over images in the HTML', () => {
    const entries = parseFeed(
      rss(`
      <item><guid>a</guid><enclosure url="/e/a.jpg" type="image/jpeg" length="1"/><description>&lt;img src="/d/a.png"&gt;</description></item>
      <item><guid>b</guid><enclosure url="/e/b.mp3" type="audio/mpeg" length="1"/><media:content url="/m/b.png" medium="image"/></item>
      <item><guid>c</guid><media:content url="/v/c.mp4" medium="video"><media:thumbnail url="/t/c.jpg"/></media:content></item>
      <item><guid>d</guid><content:encoded>&lt;img src="/c/d.png"&gt;</content:encoded><description>&lt;img src="/d/d.png"&gt;</description></item>`),
      { url: URL_ },
    ).entries;
    expect(entries.map((e) => e.image)).toEqual([
      'https://comic.test/e/a.jpg',
      'https://comic.test/m/b.png',
      'https://comic.test/t/c.jpg',
      'https://comic.test/c/d.png',
    ]);
  });

  it('skips 1x1 tracking pixels when looking for the strip', () => {
    const [entry] = parseFeed(
      rss('<item><guid>a</guid><description>&lt;img src="https://feeds.test/~r/pixel" width="1" height="1"&gt;&lt;img src="/s.png"&gt;</description></item>'),
      { url: URL_ },
    ).entries;
    expect(entry?.image).toBe('https://comic.test/s.png');
  });

  it('resolves links and images against xml:base on the channel and the item', () => {
    const feed = parseFeed(
      rss(
        '<item xml:base="/archive/2024/"><link>12.html</link><description>&lt;img src="12.png"&gt;</description></item><item><link>13.html</link></item>',
        '<title>t</title><link>/</link>',
        'version="2.0" xml:base="https://cdn.comic.test/base/"',
      ),
      { url: URL_ },
    );
    expect(feed.link).toBe('https://cdn.comic.test/');
    expect(feed.entries.map((e) => [e.url, e.image])).toEqual([
      ['https://cdn.comic.test/archive/2024/12.html', 'https://cdn.comic.test/archive/2024/12.png'],
      ['https://cdn.comic.test/base/13.html', null],
    ]);
  });

  it('takes the date from dc:date when there is no pubDate, and null when unreadable', () => {
    const entries = parseFeed(
      rss('<item><guid>a</guid><dc:date>2024-05-06T07:08:09+02:00</dc:date></item><item><guid>b</guid><pubDate>someday</pubDate></item>'),
      { url: URL_ },
    ).entries;
    expect(entries.map((e) => e.published)).toEqual(['2024-05-06T05:08:09Z', null]);
  });

  it('reads the Atom namespace inside RSS under any prefix', () => {
    const [entry] = parseFeed(
      rss(
        '<item><a10:link href="https://comic.test/p/1"/><a10:updated>2024-01-02T03:04:05Z</a10:updated></item>',
        '',
        'version="2.0" xmlns:a10="http://www.w3.org/2005/Atom"',
      ),
      { url: URL_ },
    ).entries;
    expect(entry).toMatchObject({ key: 'https://comic.test/p/1', url: 'https://comic.test/p/1', published: '2024-01-02T03:04:05Z' });
  });

  it('drops control characters from titles', () => {
    const [entry] = parseFeed(rss('<item><guid>a</guid><title>Strip\u000b#1\u0003\u001f done</title></item>'), { url: URL_ }).entries;
    expect(entry?.title).toBe('Strip #1 done');
  });

  it('keeps document order', () => {
    const entries = parseFeed(rss('<item><guid>3</guid></item><item><guid>1</guid></item><item><guid>2</guid></item>'), { url: URL_ }).entries;
    expect(entries.map((e) => e.key)).toEqual(['3', '1', '2']);
  });

  it('returns an empty feed for a channel without items and for <rss> without a channel', () => {
    expect(parseFeed(rss(''), { url: URL_ }).entries).toEqual([]);
    expect(parseFeed('<rss version="0.91">\n</rss>', { url: URL_ })).toEqual({ version: 'rss091u', title: null, link: null, entries: [] });
  });
});

describe('parseFeed: versions', () => {
  it.each([
    ['<rss version="2.0"><channel><title>t</title></channel></rss>', 'rss20'],
    ['<rss version="2.01"><channel><title>t</title></channel></rss>', 'rss20'],
    ['<rss version="0.91"><channel><title>t</title></channel></rss>', 'rss091u'],
    [
      '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91"><channel><title>t</title></channel></rss>',
      'rss091n',
    ],
    ['<rss version="0.92"><channel><title>t</title></channel></rss>', 'rss092'],
    ['<rss version="0.93"><channel><title>t</title></channel></rss>', 'rss093'],
    ['<rss version="0.94"><channel><title>t</title></channel></rss>', 'rss094'],
    ['<rss><channel><title>t</title></channel></rss>', 'rss'],
    [
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>t</title></channel></rdf:RDF>',
      'rss090',
    ],
    [
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel><title>t</title></channel></rdf:RDF>',
      'rss10',
    ],
    ['<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>', 'atom10'],
    ['<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title></feed>', 'atom03'],
    ['{"version":"https://jsonfeed.org/version/1","title":"t","items":[]}', 'json1'],
    ['{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[]}', 'json11'],
  ])('names %s as %s', (body, version) => {
    expect(parseFeed(body, { url: URL_ }).version).toBe(version);
  });
});

describe('parseFeed: RSS 1.0 (RDF)', () => {
  it('keys items on rdf:about and dates them from dc:date', () => {
    const feed = parseFeed(
      `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <channel rdf:about="https://comic.test/"><title>RDF strips</title><link>https://comic.test/</link></channel>
        <item rdf:about="https://comic.test/c/1"><title>One</title><link>https://comic.test/c/1</link><dc:date>2019-08-27</dc:date></item>
      </rdf:RDF>`,
      { url: URL_ },
    );
    expect(feed).toEqual({
      version: 'rss10',
      title: 'RDF strips',
      link: 'https://comic.test/',
      entries: [{ key: 'https://comic.test/c/1', url: 'https://comic.test/c/1', title: 'One', published: '2019-08-27T00:00:00Z', image: null, imageAlt: null, imageTitle: null }],
    });
  });
});

describe('parseFeed: Atom', () => {
  const atom = (entries: string, attrs = '') =>
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"${attrs}><title type="html">A &amp;amp; B</title>
     <link rel="self" href="/atom.xml"/><link href="https://comic.test/"/><id>tag:comic.test,2024:feed</id>${entries}</feed>`;

  it('reads id, the alternate link, published before updated, and the strip in the content', () => {
    const feed = parseFeed(
      atom(`<entry><id>tag:comic.test,2024:1</id><title>One</title>
        <link rel="replies" type="text/html" href="/c/1#comments"/>
        <link rel="alternate" type="text/html" href="/c/1"/>
        <published>2024-01-01T10:00:00-05:00</published><updated>2024-02-01T00:00:00Z</updated>
        <content type="html">&lt;img src="/s/1.png"&gt;</content></entry>`),
      { url: 'https://comic.test/atom.xml' },
    );
    expect(feed).toEqual({
      version: 'atom10',
      title: 'A & B',
      link: 'https://comic.test/',
      entries: [
        { key: 'tag:comic.test,2024:1', url: 'https://comic.test/c/1', title: 'One', published: '2024-01-01T15:00:00Z', image: 'https://comic.test/s/1.png', imageAlt: null, imageTitle: null },
      ],
    });
  });

  it('falls back to updated, and to the id as link when the id is an http(s) URL', () => {
    const entries = parseFeed(
      atom(`<entry><id>https://comic.test/c/2</id><updated>2024-02-01T00:00:00Z</updated></entry>
            <entry><id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id></entry>`),
      { url: URL_ },
    ).entries;
    expect(entries.map((e) => [e.key, e.url, e.published])).toEqual([
      ['https://comic.test/c/2', 'https://comic.test/c/2', '2024-02-01T00:00:00Z'],
      ['urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a', null, null],
    ]);
  });

  it('resolves relative links against nested xml:base, then the feed URL', () => {
    const feed = parseFeed(
      atom(
        `<entry xml:base="/post/2022/"><id>1</id><link href="travel-uke"/>
           <content type="html" xml:base="https://img.comic.test/uke/">&lt;img src="IMG_1232.jpeg"&gt;</content></entry>
         <entry><id>2</id><link href="c/2"/><summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><img src="s/2.png"/></div></summary></entry>`,
        ' xml:base="https://comic.test/blog/"',
      ),
      { url: 'https://feeds.test/comic.xml' },
    );
    expect(feed.entries.map((e) => [e.url, e.image])).toEqual([
      ['https://comic.test/post/2022/travel-uke', 'https://img.comic.test/uke/IMG_1232.jpeg'],
      ['https://comic.test/blog/c/2', 'https://comic.test/blog/s/2.png'],
    ]);
  });

  it('does not look for images in text content', () => {
    const [entry] = parseFeed(atom('<entry><id>1</id><content type="text">&lt;img src="/not-markup.png"&gt;</content></entry>'), { url: URL_ })
      .entries;
    expect(entry?.image).toBeNull();
  });

  it('reads Atom 0.3 issued and modified', () => {
    const feed = parseFeed(
      `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>old</title>
        <entry><id>x</id><link rel="alternate" type="text/html" href="https://comic.test/x"/><issued>2004-01-01T00:00:00Z</issued><modified>2004-02-01T00:00:00Z</modified></entry></feed>`,
      { url: URL_ },
    );
    expect(feed.version).toBe('atom03');
    expect(feed.entries[0]).toMatchObject({ key: 'x', url: 'https://comic.test/x', published: '2004-01-01T00:00:00Z' });
  });
});

describe('parseFeed: JSON Feed', () => {
  it('reads items: id, url, title, dates and image', () => {
    const feed = parseFeed(
      JSON.stringify({
        version: 'https://jsonfeed.org/version/1.1',
        title: 'JSON strips',
        home_page_url: '/',
        items: [
          { id: 42, url: '/c/42', title: 'Forty-two', date_published: '2024-03-01T12:00:00+01:00', image: '/i/42.png' },
          { id: 'b', content_html: '<p><img src="https://cdn.test/b.png"></p>', date_modified: '2024-03-02T00:00:00Z' },
          { id: 'c', attachments: [{ url: '/a/c.mp3', mime_type: 'audio/mpeg' }, { url: '/a/c.webp', mime_type: 'image/webp' }] },
        ],
      }),
      { url: 'https://comic.test/feed.json' },
    );
    expect(feed).toEqual({
      version: 'json11',
      title: 'JSON strips',
      link: 'https://comic.test/',
      entries: [
        { key: '42', url: 'https://comic.test/c/42', title: 'Forty-two', published: '2024-03-01T11:00:00Z', image: 'https://comic.test/i/42.png', imageAlt: null, imageTitle: null },
        { key: 'b', url: null, title: null, published: '2024-03-02T00:00:00Z', image: 'https://cdn.test/b.png', imageAlt: null, imageTitle: null },
        { key: 'c', url: null, title: null, published: null, image: 'https://comic.test/a/c.webp', imageAlt: null, imageTitle: null },
      ],
    });
  });

  it('rejects JSON that is not a JSON Feed', () => {
    for (const body of ['{"data":[1,2]}', '[1,2,3]', '{"version":"https://jsonfeed.org/version/1"}', '{"version":"2","title":"x"}']) {
      const error = failure(() => parseFeed(body, { url: 'https://api.test/x' }));
      expect(error.code).toBe('E_NOT_A_FEED');
      expect(error.message).toContain('https://api.test/x');
      expect(error.url).toBe('https://api.test/x');
    }
  });

  it.each([
    ['{"version":"1.1","items":[]}', '"1.1"'],
    ['{"version":"https://jsonfeed.org/version/2","items":[]}', '"https://jsonfeed.org/version/2"'],
    ['{"title":"no version","items":[{"id":"1"}]}', 'null'],
  ])('says a JSON Feed with an unknown version cannot be read, naming the version: %s', (body, version) => {
    const error = failure(() => parseFeed(body, { url: 'https://x.test/feed.json' }));
    expect(error.code).toBe('E_FEED_PARSE');
    expect(error.message).toBe(
      `Could not read the JSON Feed at https://x.test/feed.json: it looks like one, but its version ${version} is not one comics reads (https://jsonfeed.org/version/1 or https://jsonfeed.org/version/1.1)`,
    );
  });

  it('reports a broken JSON Feed as E_FEED_PARSE', () => {
    const error = failure(() => parseFeed('{"version":"https://jsonfeed.org/version/1","items":[{"id":1,}]}', { url: URL_ }));
    expect(error.code).toBe('E_FEED_PARSE');
    expect(error.message).toMatch(/^Could not read the JSON Feed at https:\/\/comic\.test\/feed\/: /);
  });
});

describe('parseFeed: bytes and encodings', () => {
  it('decodes bytes with the Content-Type charset', () => {
    const body = Buffer.concat([Buffer.from('<rss version="2.0"><channel><title>Caf'), Buffer.from([0xe9]), Buffer.from('</title></channel></rss>')]);
    expect(parseFeed(body, { url: URL_, contentType: 'application/rss+xml; charset=ISO-8859-1' }).title).toBe('Café');
  });

  it('decodes bytes with the XML declaration and strips a BOM', () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Grüße</title></channel></rss>'),
    ]);
    expect(parseFeed(body, { url: URL_ }).title).toBe('Grüße');
  });

  it('reads a JSON Feed given as bytes with a BOM', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"version":"https://jsonfeed.org/version/1","title":"ü","items":[]}')]);
    expect(parseFeed(body, { url: URL_ }).title).toBe('ü');
  });
});

describe('parseFeed: malformed feeds real sites serve', () => {
  it('reads HTML entities that XML does not define, and bare ampersands', () => {
    const [entry] = parseFeed(
      rss('<item><title>Tom &amp; Jerry&nbsp;&mdash; Q & A &eacute;t&eacute;</title><link>https://comic.test/?a=1&b=2</link></item>'),
      { url: URL_ },
    ).entries;
    expect(entry).toMatchObject({ title: 'Tom & Jerry — Q & A été', url: 'https://comic.test/?a=1&b=2' });
  });

  it('skips junk before the XML declaration', () => {
    const body = `<br />\n<b>Warning</b>:  Cannot modify header information in /var/www/feed.php on line 3<br />\n${rss('<item><guid>a</guid></item>')}`;
    expect(parseFeed(body, { url: URL_ }).entries.map((e) => e.key)).toEqual(['a']);
  });

  it('goes by the body, not the Content-Type, to tell JSON from markup', () => {
    const json = Buffer.from('{"version":"https://jsonfeed.org/version/1","items":[{"id":"j"}]}');
    const xml = Buffer.from(rss('<item><guid>x</guid></item>'));
    expect(parseFeed(json, { url: URL_, contentType: 'text/xml' }).entries.map((e) => e.key)).toEqual(['j']);
    expect(parseFeed(xml, { url: URL_, contentType: 'application/json' }).entries.map((e) => e.key)).toEqual(['x']);
  });

  it('reads a feed served as text/html and one with leading whitespace and comments', () => {
    expect(parseFeed(rss('<item><guid>a</guid></item>'), { url: URL_, contentType: 'text/html' }).version).toBe('rss20');
    expect(parseFeed(`\n\n  <!-- cached -->\n${rss('<item><guid>a</guid></item>')}`, { url: URL_ }).entries).toHaveLength(1);
  });

  it('reads an RSS feed that starts with an HTML DOCTYPE', () => {
    const body = `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "x"><rss version="2.0"><channel><title>found</title></channel></rss>`;
    expect(parseFeed(body, { url: URL_ }).title).toBe('found');
  });

  it('recovers the entries of a truncated feed', () => {
    const body = rss('<item><guid>a</guid><title>A</title></item><item><guid>b</guid><title>B</tit').replace(/<\/channel><\/rss>$/, '');
    expect(parseFeed(body, { url: URL_ }).entries.map((e) => [e.key, e.title])).toEqual([
      ['a', 'A'],
      ['b', 'B'],
    ]);
  });

  it('recovers entries swallowed by an element that was never closed', () => {
    const body = rss(
      '<item><guid>a</guid></item><item><guid>b</guid></item>',
      `<title>t</title><itunes:category text="Comedy">\n<itunes:category text="Comics"/>`,
      'version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"',
    );
    expect(parseFeed(body, { url: URL_ }).entries.map((e) => e.key)).toEqual(['a', 'b']);
  });

  it('reads an unterminated CDATA section', () => {
    const body = '<rss version="2.0"><channel><title>t</title><item><guid>a</guid><description><![CDATA[<img src="/x.png"> and then';
    expect(parseFeed(body, { url: URL_ }).entries).toEqual([
      { key: 'a', url: null, title: null, published: null, image: 'https://comic.test/x.png', imageAlt: null, imageTitle: null },
    ]);
  });
});

describe('parseFeed: documents that are not feeds', () => {
  it.each([
    ['an HTML page', '<!DOCTYPE html><html><head><title>Home</title><link rel="alternate" type="application/rss+xml" href="/feed"></head><body>rss</body></html>'],
    ['an HTML page', '<head><title>Document Moved</title></head>\n<body><h1>Object Moved</h1></body>'],
    ['an empty body', ''],
    ['an empty body', '  \n\t '],
    ['plain text ("Service temporarily unavailable")', 'Service temporarily unavailable'],
    ['an XML document whose root element is <opml>', '<?xml version="1.0"?><opml version="2.0"><body/></opml>'],
  ])('throws E_NOT_A_FEED naming the URL and what was found (%s)', (found, body) => {
    const error = failure(() => parseFeed(body, { url: 'https://comic.test/feed' }));
    expect(error.code).toBe('E_NOT_A_FEED');
    expect(error.message).toBe(`Expected RSS, Atom or JSON Feed at https://comic.test/feed, found ${found}`);
    expect(error.url).toBe('https://comic.test/feed');
  });

  it('throws E_NOT_A_FEED for an empty byte body', () => {
    expect(failure(() => parseFeed(new Uint8Array(0), { url: URL_ })).code).toBe('E_NOT_A_FEED');
  });

  it('throws E_FEED_PARSE, with the parser’s reason, for a feed that cannot be read even after repair', () => {
    const error = failure(() => parseFeed(rss('<item><guid>a</guid><!-- never closed </item>'), { url: URL_ }));
    expect(error.code).toBe('E_FEED_PARSE');
    expect(error.message).toMatch(/^Could not read the RSS feed at https:\/\/comic\.test\/feed\/: .*[Cc]omment/);
    expect(error.cause).toBeInstanceOf(Error);
  });
});
