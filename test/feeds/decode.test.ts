import { describe, expect, it } from 'vitest';
import { charsetFromContentType, decodeText } from '../../src/text/decode.js';

const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((part) => (typeof part === 'string' ? ascii(part) : part)));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const utf16le = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'utf16le'));
const utf16be = (text: string): Uint8Array => {
  const le = utf16le(text);
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
  return le;
};

// Legacy-encoded words, byte for byte.
const SHIFT_JIS_NIHON = [0x93, 0xfa, 0x96, 0x7b]; // 日本
const EUC_JP_NIHON = [0xc6, 0xfc, 0xcb, 0xdc]; // 日本
const KOI8R_PRIVET = [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]; // Привет
const CP1251_PRIVET = [0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]; // Привет
const GB18030_ZHONGWEN = [0xd6, 0xd0, 0xce, 0xc4]; // 中文
const LATIN1_CAFE = [0x63, 0x61, 0x66, 0xe9]; // café

describe('decodeText', () => {
  describe('byte order marks', () => {
    it('strips a UTF-8 BOM and lets it override a declared charset', () => {
      const body = bytes([0xef, 0xbb, 0xbf], '<?xml version="1.0" encoding="iso-8859-1"?><t>', Array.from(utf8('é')), '</t>');
      expect(decodeText(body, { contentType: 'text/xml; charset=windows-1251', kind: 'xml' })).toBe(
        '<?xml version="1.0" encoding="iso-8859-1"?><t>é</t>',
      );
    });

    it('reads UTF-16LE and UTF-16BE from their BOMs', () => {
      expect(decodeText(bytes([0xff, 0xfe], Array.from(utf16le('<rss>ü</rss>'))), { kind: 'xml' })).toBe('<rss>ü</rss>');
      expect(decodeText(bytes([0xfe, 0xff], Array.from(utf16be('<rss>ü</rss>'))), { kind: 'xml' })).toBe('<rss>ü</rss>');
    });
  });

  describe('UTF-16 and UTF-32 without a BOM', () => {
    it('recognises UTF-16LE and UTF-16BE from the layout of "<?"', () => {
      const xml = '<?xml version="1.0" encoding="utf-16"?><rss>ß</rss>';
      expect(decodeText(utf16le(xml), { kind: 'xml' })).toBe(xml);
      expect(decodeText(utf16be(xml), { kind: 'xml' })).toBe(xml);
    });

    it('recognises UTF-32BE, which TextDecoder does not support', () => {
      const xml = '<rss>€</rss>';
      const out: number[] = [];
      for (const c of xml) out.push(0, 0, ((c.codePointAt(0) as number) >> 8) & 0xff, (c.codePointAt(0) as number) & 0xff);
      expect(decodeText(Uint8Array.from(out), { kind: 'xml' })).toBe(xml);
    });

    it('recognises UTF-16 JSON from the layout of "{"', () => {
      expect(decodeText(utf16le('{"a":"ä"}'), { kind: 'json' })).toBe('{"a":"ä"}');
    });
  });

  describe('Content-Type charset', () => {
    it('decodes with the header charset', () => {
      expect(decodeText(bytes('<t>', LATIN1_CAFE, '</t>'), { contentType: 'application/rss+xml; charset=ISO-8859-1', kind: 'xml' })).toBe(
        '<t>café</t>',
      );
    });

    it('prefers the header over the XML declaration, as feedparser does', () => {
      const body = bytes('<?xml version="1.0" encoding="koi8-r"?><t>', CP1251_PRIVET, '</t>');
      expect(decodeText(body, { contentType: 'text/xml; charset="windows-1251"', kind: 'xml' })).toContain('Привет');
    });

    it('prefers UTF-8 when the header says Latin-1 but the document says UTF-8 and the bytes agree', () => {
      const body = bytes('<?xml version="1.0" encoding="utf-8"?><t>', Array.from(utf8('Grüße')), '</t>');
      expect(decodeText(body, { contentType: 'text/xml; charset=iso-8859-1', kind: 'xml' })).toContain('Grüße');
    });

    it('prefers UTF-8 when the declared charset garbles bytes that are valid UTF-8', () => {
      const body = utf8('<t>日本語のテキスト</t>');
      expect(decodeText(body, { contentType: 'text/html; charset=shift_jis', kind: 'html' })).toBe('<t>日本語のテキスト</t>');
    });

    it('falls through a UTF-8 declaration that the bytes contradict', () => {
      expect(decodeText(bytes('<t>', LATIN1_CAFE, '</t>'), { contentType: 'text/xml; charset=utf-8', kind: 'xml' })).toBe('<t>café</t>');
    });

    it('ignores unknown charset labels instead of throwing', () => {
      expect(decodeText(utf8('<t>ok é</t>'), { contentType: 'text/xml; charset=x-no-such-thing', kind: 'xml' })).toBe('<t>ok é</t>');
    });

    it('accepts Python-style and Windows-style aliases', () => {
      expect(decodeText(bytes('<t>', SHIFT_JIS_NIHON, '</t>'), { contentType: 'text/xml; charset=cp932', kind: 'xml' })).toBe('<t>日本</t>');
      expect(decodeText(bytes('<t>', CP1251_PRIVET, '</t>'), { contentType: 'text/xml; charset=win-1251', kind: 'xml' })).toBe(
        '<t>Привет</t>',
      );
      expect(decodeText(bytes('<t>', LATIN1_CAFE, '</t>'), { contentType: 'text/xml; charset=iso_8859_1', kind: 'xml' })).toBe('<t>café</t>');
    });
  });

  describe('XML declaration', () => {
    it.each([
      ['shift_jis', SHIFT_JIS_NIHON, '日本'],
      ['euc-jp', EUC_JP_NIHON, '日本'],
      ['koi8-r', KOI8R_PRIVET, 'Привет'],
      ['gb18030', GB18030_ZHONGWEN, '中文'],
      ['windows-1251', CP1251_PRIVET, 'Привет'],
    ])('decodes a document declared as %s', (label, encoded, expected) => {
      const body = bytes(`<?xml version="1.0" encoding="${label}"?><t>`, encoded, '</t>');
      expect(decodeText(body, { kind: 'xml' })).toBe(`<?xml version="1.0" encoding="${label}"?><t>${expected}</t>`);
    });

    it('finds the declaration after leading junk', () => {
      const body = bytes('\n\n<!-- generated -->\n<?xml version="1.0" encoding="koi8-r"?><t>', KOI8R_PRIVET, '</t>');
      expect(decodeText(body, { kind: 'xml' })).toContain('<t>Привет</t>');
    });

    it('ignores a UTF-16 declaration in a document that is plainly 8-bit', () => {
      const body = bytes('<?xml version="1.0" encoding="utf-16"?><t>', Array.from(utf8('ü')), '</t>');
      expect(decodeText(body, { kind: 'xml' })).toContain('<t>ü</t>');
    });
  });

  describe('HTML meta charset', () => {
    it('reads <meta charset>', () => {
      const body = bytes('<html><head><meta charset="koi8-r"><title>', KOI8R_PRIVET, '</title>');
      expect(decodeText(body, { kind: 'html' })).toContain('<title>Привет</title>');
    });

    it('reads <meta http-equiv="Content-Type" content="...; charset=...">', () => {
      const body = bytes('<html><head><meta http-equiv="Content-Type" content="text/html;charset=Shift_JIS"><title>', SHIFT_JIS_NIHON, '</title>');
      expect(decodeText(body, { kind: 'html' })).toContain('<title>日本</title>');
    });

    it('does not read an XML declaration in HTML mode', () => {
      const body = bytes('<?xml version="1.0" encoding="koi8-r"?><p>', LATIN1_CAFE, '</p>');
      expect(decodeText(body, { kind: 'html' })).toContain('<p>café</p>');
    });
  });

  describe('undeclared', () => {
    it('uses UTF-8 when the bytes are valid UTF-8', () => {
      expect(decodeText(utf8('<rss>Grüße 日本</rss>'), { kind: 'xml' })).toBe('<rss>Grüße 日本</rss>');
    });

    it('falls back to windows-1252 otherwise', () => {
      expect(decodeText(bytes('<rss>', LATIN1_CAFE, [0x20, 0x93, 0x71, 0x94], '</rss>'), { kind: 'xml' })).toBe('<rss>café “q”</rss>');
    });

    it('decodes an empty body to an empty string', () => {
      expect(decodeText(new Uint8Array(0), { kind: 'json' })).toBe('');
    });
  });
});

describe('charsetFromContentType', () => {
  it('reads quoted, unquoted and oddly spaced parameters', () => {
    expect(charsetFromContentType('text/xml; charset=UTF-8')).toBe('UTF-8');
    expect(charsetFromContentType('text/xml;charset="iso-8859-1"; foo=bar')).toBe('iso-8859-1');
    expect(charsetFromContentType("text/xml; Charset = 'koi8-r'")).toBe('koi8-r');
  });

  it('returns null when there is no charset', () => {
    expect(charsetFromContentType('application/rss+xml')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
    expect(charsetFromContentType('text/xml; charset=')).toBeNull();
  });
});
