import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText, localUrl, renderDigest, webUrl, type DigestStrip } from '../../src/digest/page.js';

const strip = (fields: Partial<DigestStrip> = {}): DigestStrip => ({
  title: 'A strip',
  url: 'https://comic.test/1/',
  published: '2026-12-01T00:00:00Z',
  image: { src: 'https://img.test/1.png', alt: 'Alt text', title: 'Hover text' },
  warnings: [],
  ...fields,
});
const when = new Date(2026, 11, 5, 7, 30);

describe('the digest page', () => {
  it('escapes text and attributes', () => {
    expect(escapeText(`<b>&"'`)).toBe(`&lt;b&gt;&amp;"'`);
    expect(escapeAttribute(`x" onerror="a'`)).toBe('x&quot; onerror=&quot;a&#39;');
  });

  it('uses only http(s) links and images, and file: URLs for archived copies', () => {
    expect(webUrl('https://x.test/a b')).toBe('https://x.test/a%20b');
    for (const bad of ['javascript:alert(1)', 'data:image/png;base64,AA', 'file:///etc/passwd', '/relative', '', null]) expect(webUrl(bad)).toBeNull();
    expect(localUrl('/data/strips/xkcd/0001 a.png')).toBe('file:///data/strips/xkcd/0001%20a.png');
    expect(localUrl('file:///data/strips/a.png')).toBe('file:///data/strips/a.png');
    for (const bad of ['javascript:alert(1)', 'data:x', 'https://x.test/a.png', 'relative/a.png', null]) expect(localUrl(bad)).toBeNull();
  });

  it('shows comics and strips in the order given, each with name, title, date, image, hover text and link', () => {
    const html = renderDigest({
      comics: [
        { name: 'Second', strips: [strip({ title: 'S1' })] },
        { name: 'First', strips: [strip({ title: 'F1' }), strip({ title: 'F2', image: { src: 'https://img.test/2.png', alt: null, title: null } })] },
      ],
      generatedAt: when,
    });
    expect([...html.matchAll(/<h2 id="comic-\d">([^<]*)<\/h2>/g)].map((m) => m[1])).toEqual(['Second', 'First']);
    expect([...html.matchAll(/<h3><a class="page" href="[^"]*" rel="noopener noreferrer">([^<]*)<\/a><\/h3>/g)].map((m) => m[1])).toEqual(['S1', 'F1', 'F2']);
    expect(html).toContain('<h1>3 new strips from 2 comics</h1>');
    expect(html).toContain('<p class="meta">First · <time datetime="2026-12-01T00:00:00Z">2026-12-01</time></p>');
    expect(html).toContain('<img src="https://img.test/1.png" alt="Alt text" title="Hover text" referrerpolicy="no-referrer" loading="lazy" decoding="async">');
    expect(html).toContain('<figcaption>Hover text</figcaption>');
    // No alt: the strip's title describes the image; no hover text: no caption.
    expect(html).toContain('<img src="https://img.test/2.png" alt="F2" referrerpolicy');
    expect(html.match(/<figcaption>/g)).toHaveLength(2);
  });

  it('shows a strip without an image by its title and link, and a strip without a link without one', () => {
    const html = renderDigest({ comics: [{ name: 'C', strips: [strip({ image: null }), strip({ title: 'Nowhere', url: 'javascript:alert(1)', image: null })] }], generatedAt: when });
    expect(html.match(/No image was found for this strip\./g)).toHaveLength(2);
    expect(html).toContain('<h3>Nowhere</h3>');
    expect(html).not.toContain('javascript:');
  });

  it('shows a strip\'s warnings, escaped', () => {
    const html = renderDigest({ comics: [{ name: 'C', strips: [strip({ warnings: ['the walk <stopped> at 20'] })] }], generatedAt: when });
    expect(html).toContain('<ul class="warnings"><li>the walk &lt;stopped&gt; at 20</li></ul>');
  });

  it('prefers the archived copy and lets the policy load it', () => {
    const html = renderDigest({ comics: [{ name: 'C', strips: [strip({ localImage: '/data/strips/C/0001.png' })] }], generatedAt: when });
    expect(html).toContain('<img src="file:///data/strips/C/0001.png"');
    expect(html).toContain('img-src http: https: file:;');
    expect(renderDigest({ comics: [{ name: 'C', strips: [strip()] }], generatedAt: when })).toContain('img-src http: https:;');
  });

  it('lets nothing run but its own script and style, by hash', () => {
    const html = renderDigest({ comics: [{ name: 'C', strips: [strip()] }], generatedAt: when });
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!;
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(policy).toBe(`default-src 'none'; img-src http: https:; style-src ${sha(style)}; script-src ${sha(script)}; object-src 'none'; base-uri 'none'; form-action 'none'`);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('escapes hostile feed text everywhere, never inserting markup', () => {
    const evil = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1">';
    const html = renderDigest({
      comics: [{ name: evil, strips: [strip({ title: evil, url: 'https://x.test/"><script>x</script>', image: { src: 'https://x.test/a.png" onerror="x', alt: evil, title: evil }, warnings: [evil] })] }],
      generatedAt: when,
    });
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<img src=x/);
    expect(html).not.toMatch(/" onerror="/);
  });

  it('says when there is nothing new', () => {
    const html = renderDigest({ comics: [{ name: 'C', strips: [] }], generatedAt: when });
    expect(html).toContain('<h1>Nothing new</h1>');
    expect(html).toContain('you are all caught up');
  });
});
