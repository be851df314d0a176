import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../src/archive/image-type.js';
import { fileName, folderKey, folderName, nthName, numberWidth } from '../../src/archive/names.js';
import { ArchiveStore } from '../../src/store/archive-store.js';
import { openDatabase } from '../../src/store/database.js';
import { gif, jpeg, png } from '../helpers/images.js';

describe('folder names', () => {
  it('never leaves the archive folder and never hides', () => {
    expect(folderName('../x')).toBe('_x');
    expect(folderName('..')).toBe('comic');
    expect(folderName('.hidden')).toBe('hidden');
    expect(folderName('a/b\\c')).toBe('a_b_c');
    expect(folderName('/etc/passwd')).toBe('_etc_passwd');
    expect(folderName('C:\\Windows')).toBe('C__Windows');
  });

  it('avoids names Windows reserves, in any case and with an extension', () => {
    expect(folderName('con')).toBe('_con');
    expect(folderName('CON')).toBe('_CON');
    expect(folderName('nul.txt')).toBe('_nul.txt');
    expect(folderName('lpt1')).toBe('_lpt1');
    expect(folderName('Contact')).toBe('Contact');
  });

  it('keeps unicode, drops controls and bidi overrides, trims dots and spaces, caps the length', () => {
    expect(folderName('Ünïcödé 漫画 😀')).toBe('Ünïcödé 漫画 😀');
    expect(folderName('U\u0308nicode')).toBe('Ünicode'); // composed, as macOS would store it
    expect(folderName('a\u0000b\u202ec\u001b[2J')).toBe('abc[2J');
    expect(folderName('  name.  ')).toBe('name');
    expect(folderName('What?: A "Comic"*')).toBe('What__ A _Comic__');
    const long = folderName('漫'.repeat(100));
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(100);
    expect(long).toBe('漫'.repeat(33));
  });

  it('keeps two names that give the same folder apart, for good', () => {
    const archive = new ArchiveStore(openDatabase(':memory:'));
    const folder = (comic: string): string => archive.folderFor(comic, folderName(comic), folderKey);
    expect(folder('a/b')).toBe('a_b');
    expect(folder('a\\b')).toBe('a_b (2)');
    expect(folder('A_B')).toBe('A_B (3)'); // case-insensitive file systems
    expect(folder('a/b')).toBe('a_b');
    expect(folder('a\\b')).toBe('a_b (2)');
    archive.db.close();
  });
});

describe('file names', () => {
  it('sort in publication order: number, date, title, and the extension from the bytes', () => {
    expect(fileName({ number: 1, width: 4, published: '2024-05-01T10:00:00Z', title: 'Title', ext: 'png' })).toBe('0001 2024-05-01 Title.png');
    expect(fileName({ number: 12, width: 4, published: null, title: null, ext: 'gif' })).toBe('0012.gif');
    expect(fileName({ number: 3, width: 5, published: null, title: '../../etc/passwd', ext: 'jpg' })).toBe('00003 _.._etc_passwd.jpg');
    expect(fileName({ number: 3, width: 4, published: null, title: 'Ends in dots...', ext: 'png' })).toBe('0003 Ends in dots.png');
    expect(numberWidth(9999)).toBe(4);
    expect(numberWidth(10_000)).toBe(5);
    expect(nthName('0001 Title.png', 2)).toBe('0001 Title (2).png');
  });
});

describe('image sniffing', () => {
  it('knows PNG, JPEG, GIF, WebP, AVIF and SVG from their bytes, whatever image type is claimed', () => {
    expect(sniffImage(png(1), 'image/png')).toEqual({ ext: 'png', mime: 'image/png' });
    expect(sniffImage(jpeg(1), 'image/png')).toEqual({ ext: 'jpg', mime: 'image/jpeg' });
    expect(sniffImage(gif(1), 'image/gif; charset=binary')).toEqual({ ext: 'gif', mime: 'image/gif' });
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
    expect(sniffImage(webp, 'image/webp')).toEqual({ ext: 'webp', mime: 'image/webp' });
    const avif = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypavif'), Buffer.alloc(4), Buffer.from('mif1miaf')]);
    expect(sniffImage(avif, 'image/avif')).toEqual({ ext: 'avif', mime: 'image/avif' });
    const svg = Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>');
    expect(sniffImage(svg, 'image/svg+xml')).toEqual({ ext: 'svg', mime: 'image/svg+xml' });
  });

  it('refuses HTML served as an image, other types, unknown bytes and SVG under another type', () => {
    expect(sniffImage(Buffer.from('<!DOCTYPE html><p>Hotlinking denied'), 'image/png')).toEqual({
      refused: 'an HTML page, not an image, was served as image/png (hotlinking refused?)',
    });
    expect(sniffImage(png(1), 'text/html')).toEqual({ refused: 'served as text/html, not as an image' });
    expect(sniffImage(png(1), null)).toEqual({ refused: 'no Content-Type, expected image/*' });
    expect(sniffImage(Buffer.from([1, 2, 3, 4]), 'image/png')).toEqual({
      refused: 'not a known image format (first bytes 01 02 03 04) served as image/png',
    });
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/png')).toHaveProperty('refused');
    expect(sniffImage(Buffer.alloc(0), 'image/png')).toEqual({ refused: 'an empty body was served as image/png' });
  });
});
