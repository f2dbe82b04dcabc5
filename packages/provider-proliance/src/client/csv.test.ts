import { describe, expect, it } from 'vitest';
import { CsvSyntaxError, csvField, decodeText, parseCsv, writeCsv } from './csv.js';

const fields = (text: string, delimiter?: string) =>
  parseCsv(text, delimiter ? { delimiter } : {}).map((r) => r.fields);

describe('parseCsv', () => {
  it('splits plain records on commas and LF, CRLF or CR line breaks', () => {
    expect(fields('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fields('a,b\r\n1,2\r\n')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(fields('a,b\r1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('reads the last record without a final line break, and empty fields anywhere', () => {
    expect(fields('a,,c\n,,\n1,2,')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
      ['1', '2', ''],
    ]);
  });

  it('keeps delimiters, quotes and line breaks inside quoted fields', () => {
    const text = 'name,notes\r\n"Morgan, Alex","said ""hi""\r\nthen left"\r\n"",x\r\n';
    expect(fields(text)).toEqual([
      ['name', 'notes'],
      ['Morgan, Alex', 'said "hi"\r\nthen left'],
      ['', 'x'],
    ]);
  });

  it('numbers records by the line they start on, counting breaks inside quotes', () => {
    const records = parseCsv('h1,h2\n"multi\nline\r\nvalue",b\n\nlast,row\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 6]);
  });

  it('skips blank lines but keeps a line of empty fields', () => {
    expect(fields('a\n\n\r\n\nb\n')).toEqual([['a'], ['b']]);
    expect(fields('a,b\n,\n')).toEqual([
      ['a', 'b'],
      ['', ''],
    ]);
  });

  it('skips a byte order mark left in decoded text', () => {
    expect(fields('\ufeffStaff ID,Name\nS-1,A\n')).toEqual([
      ['Staff ID', 'Name'],
      ['S-1', 'A'],
    ]);
  });

  it('takes another delimiter: semicolons and tabs', () => {
    expect(fields('a;"b;c";d\n', ';')).toEqual([['a', 'b;c', 'd']]);
    expect(fields('a\tb, c\n', '\t')).toEqual([['a', 'b, c']]);
  });

  it('keeps spaces around unquoted values (the reader trims cells, not the parser)', () => {
    expect(fields(' a , b ')).toEqual([[' a ', ' b ']]);
  });

  it('refuses a quoted field that never ends, naming the line it opened on', () => {
    expect(() => parseCsv('a,b\n1,"open\n\n', { file: 'staff.csv' })).toThrow(
      new CsvSyntaxError(
        'staff.csv line 2: a quoted field is never closed (a missing " at the end of the field?)',
        2,
      ),
    );
  });

  it('refuses text after a closing quote and a quote inside an unquoted field', () => {
    expect(() => parseCsv('a\n"x"y\n')).toThrow(/line 2: unexpected text after a closing quote/);
    expect(() => parseCsv('a\nx"y\n')).toThrow(/line 2: a quote inside an unquoted field/);
  });

  it('refuses delimiters that cannot work', () => {
    expect(() => parseCsv('a', { delimiter: '"' })).toThrow(/delimiter/);
    expect(() => parseCsv('a', { delimiter: ';;' })).toThrow(/delimiter/);
  });

  it('parses a large export linearly', () => {
    const row = '"S-1","Morgan, Alex","a@example.com",Yes\r\n';
    const text = `Staff ID,Name,Email,Active\r\n${row.repeat(50_000)}`;
    const started = performance.now();
    expect(parseCsv(text)).toHaveLength(50_001);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('decodeText', () => {
  const utf8 = (s: string) => new TextEncoder().encode(s);

  it('strips a UTF-8 byte order mark', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Zoë,1')]))).toBe('Zoë,1');
  });

  it('decodes UTF-16 LE and BE by their byte order mark', () => {
    const le = Buffer.from('Zoë,1', 'utf16le');
    expect(decodeText(new Uint8Array([0xff, 0xfe, ...le]))).toBe('Zoë,1');
    const be = Buffer.from(le).swap16();
    expect(decodeText(new Uint8Array([0xfe, 0xff, ...be]))).toBe('Zoë,1');
  });

  it('reads text that is not UTF-8 as Windows-1252 (a plain Excel CSV)', () => {
    expect(decodeText(new Uint8Array([0x5a, 0x6f, 0xeb, 0x2c, 0x80]))).toBe('Zoë,€');
  });
});

describe('writeCsv', () => {
  it('quotes only what needs it and round-trips through parseCsv', () => {
    const rows = [
      ['plain', 'with, comma', 'with "quote"', 'two\nlines', ' padded ', ''],
      ['S-1', 'x', 'y', 'z', 'w', 'v'],
    ];
    const text = writeCsv(rows);
    expect(text.split('\r\n')[0]).toBe('plain,"with, comma","with ""quote""","two\nlines"," padded ",');
    expect(fields(text)).toEqual(rows);
  });

  it('quotes the delimiter it writes with', () => {
    expect(csvField('a;b', ';')).toBe('"a;b"');
    expect(csvField('a;b')).toBe('a;b');
  });
});
