/**
 * The default page-mode heuristics on the real webcomic pages of
 * ../shared/corpus/pages, read in place (never copied into the repository;
 * skipped when absent; COMICS_CORPUS points elsewhere).
 *
 * Each page was read by hand for the strip image and the previous-strip link a
 * reader would follow; the table below is that reading, with each page's real
 * URL (relative links resolve against it). A default "finds" a page's strip
 * when it returns exactly that image and that link, with no selectors set.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CORPUS, CORPUS_ABSENT } from '../helpers/corpus.js';
import { parsePage, readStripPage } from '../../src/pages/heuristics.js';
import { decodeText } from '../../src/text/decode.js';

const corpus = CORPUS;
const present = existsSync(new URL('pages/', corpus));

interface Expectation {
  file: string;
  url: string;
  /** The strip image; null where the page shows none (an archive index). */
  image: string | null;
  /** The previous strip's page; null where there is none. */
  prev: string | null;
  note?: string;
}

const XKCD = 'https://imgs.xkcd.com/comics/';
const ZP = 'https://cdn-zenpencils.netdna-ssl.com/wp-content/uploads/';
const UNSOUNDED = 'https://www.casualvillain.com/Unsounded/comic/ch17/';

const PAGES: Expectation[] = [
  { file: 'dosage__xkcd-302.html', url: 'https://xkcd.com/302/', image: `${XKCD}names.png`, prev: 'https://xkcd.com/301/' },
  { file: 'dosage__xkcd-303.html', url: 'https://xkcd.com/303/', image: `${XKCD}compiling.png`, prev: 'https://xkcd.com/302/' },
  { file: 'dosage__xkcd-1898.html', url: 'https://xkcd.com/1898/', image: `${XKCD}october_2017.png`, prev: 'https://xkcd.com/1897/' },
  { file: 'dosage__xkcd-1899.html', url: 'https://xkcd.com/1899/', image: `${XKCD}ears.png`, prev: 'https://xkcd.com/1898/' },
  {
    file: 'dosage__xkcd-1899-xss-img.html',
    url: 'https://xkcd.com/1899/',
    // src="javascript:alert('XSS')": never that; the srcset's 2x image is the strip.
    image: `${XKCD}ears_2x.png`,
    prev: 'https://xkcd.com/1898/',
  },
  { file: 'dosage__xkcd-1899-xss-text.html', url: 'https://xkcd.com/1899/', image: `${XKCD}ears.png`, prev: 'https://xkcd.com/1898/' },
  {
    file: 'feeder__smbc_post.html',
    url: 'https://www.smbc-comics.com/comic/welsh',
    image: 'https://www.smbc-comics.com/comics/1563722353-20190721.png',
    prev: 'https://www.smbc-comics.com/comic/humility-2',
  },
  { file: 'feeder__oglaf_post.html', url: 'https://www.oglaf.com/thesitter/', image: 'https://media.oglaf.com/comic/thesitter.jpg', prev: 'https://www.oglaf.com/dead-wood/' },
  {
    file: 'feeder__monkeyuser_post.html',
    url: 'https://www.monkeyuser.com/2024/sacrifice/',
    image: 'https://www.monkeyuser.com/2024/sacrifice/273-sacrifice.jpg',
    prev: 'https://www.monkeyuser.com/2024/milestone-passing-problem/?ref=footer',
  },
  {
    file: 'feeder__buni_post.html',
    url: 'http://www.bunicomic.com/comic/buni-1315/',
    image: 'http://www.bunicomic.com/wp-content/uploads/2019/11/2019-11-25-Buni.jpg',
    prev: 'http://www.bunicomic.com/comic/buni-1314/',
  },
  {
    file: 'feeder__buni_post_webtoons.html',
    url: 'http://www.bunicomic.com/2019/11/23/too-early/',
    image: 'http://www.bunicomic.com/wp-content/uploads/2019/11/ThumbHapiBuni260-530.jpg',
    prev: 'http://www.bunicomic.com/2019/11/16/light-up-my-life/',
    note: "the post's only picture is a teaser linking to the strip on Webtoons; the defaults read an image linking to another site as a promotion",
  },
  {
    file: 'feeder__litterbox_post.html',
    url: 'https://www.litterboxcomics.com/claw-machine/',
    image: 'https://i2.wp.com/www.litterboxcomics.com/wp-content/uploads/2021/08/claw-machine-GIF.gif?resize=800%2C999&ssl=1',
    prev: 'https://www.litterboxcomics.com/creeping-up/',
  },
  {
    file: 'feeder__litterbox_bonus_panel.html',
    url: 'https://www.litterboxcomics.com/claw-machine-bonus/',
    image: 'https://i0.wp.com/www.litterboxcomics.com/wp-content/uploads/2021/08/claw-machine-bonus.png?resize=800%2C500&ssl=1',
    prev: 'https://www.litterboxcomics.com/creeping-up/',
  },
  {
    file: 'feeder__post_dilbert.html',
    url: 'https://dilbert.com/strip/2019-10-04',
    image: 'https://assets.amuniversal.com/bd72a9c0c0470137c01c005056a9545d',
    prev: 'https://dilbert.com/strip/2019-10-03',
  },
  { file: 'dosage__zp-222.html', url: 'https://zenpencils.com/comic/lifejacket/', image: `${ZP}222_lifejacket.jpg`, prev: 'https://zenpencils.com/comic/creative/' },
  { file: 'dosage__zp-223.html', url: 'https://zenpencils.com/comic/missing/', image: `${ZP}223_lilfrida1.jpg`, prev: 'https://zenpencils.com/comic/lifejacket/' },
  { file: 'dosage__zp-home.html', url: 'https://zenpencils.com/', image: `${ZP}223_lilfrida1.jpg`, prev: 'https://zenpencils.com/comic/lifejacket/' },
  {
    file: 'dosage__bf-601.html',
    url: 'https://www.bloomingfaeries.com/comic/601-chapter-14-page-09/',
    image: 'https://i0.wp.com/www.bloomingfaeries.com/wp-content/uploads/2025/08/BF601-color.jpg?resize=683%2C1024',
    prev: 'https://www.bloomingfaeries.com/comic/600-chapter-14-page-08/?sid=19724',
  },
  {
    file: 'dosage__bf-home.html',
    url: 'https://www.bloomingfaeries.com/',
    image: 'https://i0.wp.com/www.bloomingfaeries.com/wp-content/uploads/2025/10/BF602-color.jpg?resize=683%2C1024',
    prev: 'https://www.bloomingfaeries.com/comic/601-chapter-14-page-09/?sid=19724',
  },
  {
    file: 'dosage__ai-sot-26.html',
    url: 'https://www.artificialincident.com/comic/strongest-of-talithar-26/',
    image: 'https://www.artificialincident.com/wp-content/uploads/sites/3/aich15p26.png',
    prev: 'https://www.artificialincident.com/comic/strongest-of-talithar-25/',
  },
  {
    file: 'dosage__gocomics-page.html',
    url: 'https://www.gocomics.com/calvinandhobbesespanol/2026/05/14',
    image: 'https://featureassets.gocomics.com/assets/0d700f6014cb013fbf49005056a9545d?optimizer=image&width=2800&quality=85',
    prev: 'https://www.gocomics.com/calvinandhobbesespanol/2026/05/13',
  },
  {
    file: 'dosage__gocomics-root.html',
    url: 'https://www.gocomics.com/calvinandhobbesespanol',
    image: 'https://featureassets.gocomics.com/assets/0fab218014cb013fbf49005056a9545d?optimizer=image&width=2800&quality=85',
    prev: 'https://www.gocomics.com/calvinandhobbesespanol/2026/05/14',
  },
  {
    file: 'dosage__schlock-2020-07-24.html',
    url: 'https://www.schlockmercenary.com/2020-07-24',
    image: 'https://www.schlockmercenary.com/strip/7348/0/',
    prev: 'https://www.schlockmercenary.com/2020-07-23',
  },
  { file: 'dosage__turnoff-home.html', url: 'http://turnoff.us/', image: 'http://turnoff.us/image/en/gitsubmodule.png', prev: 'http://turnoff.us/geek/dev-interviews/' },
  {
    file: 'dosage__turnoff-git-submodules.html',
    url: 'http://turnoff.us/geek/git-submodules/',
    image: 'http://turnoff.us/image/en/gitsubmodule.png',
    prev: 'http://turnoff.us/geek/dev-interviews/',
  },
  {
    file: 'dosage__turnoff-dev-interviews.html',
    url: 'http://turnoff.us/geek/dev-interviews/',
    image: 'http://turnoff.us/image/en/interviews.png',
    prev: 'http://turnoff.us/geek/bsod/',
  },
  { file: 'dosage__unsounded-17-137.html', url: `${UNSOUNDED}ch17_137.html`, image: `${UNSOUNDED}pageart/ch17_137.jpg`, prev: `${UNSOUNDED}ch17_136.html` },
  // The page art is the CSS background of <div id="comic">; the <img>s beside it are decoration.
  { file: 'dosage__unsounded-17-92.html', url: `${UNSOUNDED}ch17_92.html`, image: `${UNSOUNDED}pageart/ch17_92.jpg`, prev: `${UNSOUNDED}ch17_91.html` },
];

/** Pages that hold no strip: the defaults must find nothing there rather than something wrong. */
const NOT_STRIPS: Expectation[] = [
  { file: 'dosage__unsounded-root.html', url: 'https://www.casualvillain.com/Unsounded/comic+index/', image: null, prev: null, note: 'the archive index' },
];

const read = (page: Expectation) =>
  readStripPage(parsePage(decodeText(readFileSync(new URL(`pages/${page.file}`, corpus)), { contentType: null, kind: 'html' })), page.url);

describe.skipIf(!present)(`page heuristics on the real pages of the corpus (no selectors)${present ? '' : ` (skipped: ${CORPUS_ABSENT})`}`, () => {
  it('find the strip image and the previous-strip link on at least 27 of the 28 strip pages', () => {
    const misses: string[] = [];
    let images = 0;
    let prevs = 0;
    let both = 0;
    for (const page of PAGES) {
      const found = read(page);
      const image = found.image?.url === page.image;
      const prev = found.prev?.url === page.prev;
      if (image) images++;
      if (prev) prevs++;
      if (image && prev) both++;
      else {
        const what = [image ? '' : `image ${found.image?.url ?? 'none'}`, prev ? '' : `prev ${found.prev?.url ?? 'none'}`].filter(Boolean);
        misses.push(`${page.file}: ${what.join(', ')}${page.note ? ` (${page.note})` : ''}`);
      }
    }
    console.log(
      [
        `Page corpus: ${PAGES.length} strip pages (+${NOT_STRIPS.length} archive page), defaults only`,
        `  strip image and previous-strip link both right: ${both}/${PAGES.length}`,
        `  strip image right: ${images}/${PAGES.length}; previous-strip link right: ${prevs}/${PAGES.length}`,
        `  misses: ${misses.length === 0 ? 'none' : `\n    ${misses.join('\n    ')}`}`,
      ].join('\n'),
    );
    expect(both).toBeGreaterThanOrEqual(27);
  });

  it.each(NOT_STRIPS.map((page) => [page.file, page] as const))('find nothing on %s, which holds no strip', (_, page) => {
    const found = read(page);
    expect([found.image, found.prev]).toEqual([null, null]);
  });

  it('never return an image or link that is not http(s)', () => {
    for (const page of [...PAGES, ...NOT_STRIPS]) {
      const found = read(page);
      for (const url of [found.image?.url, found.prev?.url, found.key]) if (url) expect(url).toMatch(/^https?:\/\//);
    }
  });
});
