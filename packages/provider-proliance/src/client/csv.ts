/**
 * A small RFC 4180 CSV reader and writer, written for the registers' export (no dependency).
 *
 * Reading handles what spreadsheet and register exports produce: fields quoted with `"` (a `""`
 * inside is one quote), delimiters and line breaks (LF, CRLF or CR) inside quoted fields, a byte
 * order mark (UTF-8, UTF-16 LE or BE), Windows-1252 text that is not valid UTF-8, a missing final
 * line break, and blank lines (skipped). What it refuses, naming the line: a quote inside an unquoted
 * field, text after a closing quote, and a quoted field that never ends.
 */

/** One parsed line: its fields and the 1-based line of the file it starts on. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A file that is not valid CSV; the message names the file and line. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

export interface CsvOptions {
  /** Field separator (default `,`); one character, not a quote or line break. */
  delimiter?: string;
  /** Named in error messages. */
  file?: string;
}

/** Decode a file's bytes: BOM first (UTF-8, UTF-16 LE/BE), else UTF-8, else Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Excel's plain "CSV" saves in the ANSI code page; Windows-1252 is what Western installs use.
    return decodeWindows1252(bytes);
  }
}

/** Windows-1252 code points of the bytes 0x80–0x9F (the rest is Latin-1); 0 = undefined byte. */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
  0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0, 0x017e, 0x0178,
];

/** Decode Windows-1252 (Node's TextDecoder treats it as Latin-1, which gets 0x80–0x9F wrong). */
export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    const chunk = Array.from(bytes.subarray(i, i + 0x8000), (b) =>
      b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] || b : b,
    );
    out += String.fromCharCode(...chunk);
  }
  return out;
}

function checkDelimiter(d: string): void {
  if (d.length !== 1 || d === '"' || d === '\n' || d === '\r') {
    throw new Error(
      `CSV delimiter must be one character other than a quote or line break (got ${JSON.stringify(d)})`,
    );
  }
}

/**
 * Parse CSV text into records. A leading U+FEFF (a BOM left in decoded text) is skipped. Lines with
 * no characters at all are skipped; a line holding only delimiters is kept (a row of empty fields).
 */
export function parseCsv(text: string, opts: CsvOptions = {}): CsvRecord[] {
  const delimiter = opts.delimiter ?? ',';
  checkDelimiter(delimiter);
  const where = opts.file ? `${opts.file} ` : '';
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  let line = 1;
  while (i < n) {
    const startLine = line;
    // A blank line: no record.
    if (text[i] === '\n' || text[i] === '\r') {
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      continue;
    }
    const fields: string[] = [];
    for (;;) {
      // One field, starting at i.
      if (text[i] === '"') {
        const openLine = line;
        i += 1;
        let value = '';
        for (;;) {
          if (i >= n) {
            throw new CsvSyntaxError(
              `${where}line ${openLine}: a quoted field is never closed (a missing " at the end of the field?)`,
              openLine,
            );
          }
          const q = text.indexOf('"', i);
          if (q < 0) {
            i = n;
            continue;
          }
          const chunk = text.slice(i, q);
          line += countLineBreaks(chunk);
          value += chunk;
          if (text[q + 1] === '"') {
            value += '"';
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        fields.push(value);
        const c = text[i];
        if (i < n && c !== delimiter && c !== '\n' && c !== '\r') {
          throw new CsvSyntaxError(
            `${where}line ${line}: unexpected text after a closing quote (a quote inside a quoted field is written "")`,
            line,
          );
        }
      } else {
        let j = i;
        while (j < n) {
          const c = text[j];
          if (c === delimiter || c === '\n' || c === '\r') break;
          if (c === '"') {
            throw new CsvSyntaxError(
              `${where}line ${line}: a quote inside an unquoted field (quote the whole field and write the quote as "")`,
              line,
            );
          }
          j += 1;
        }
        fields.push(text.slice(i, j));
        i = j;
      }
      if (i >= n) break;
      if (text[i] === delimiter) {
        // The next field (empty when a line break or the end of the text follows).
        i += 1;
        continue;
      }
      // End of record: a line break.
      i += text[i] === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      break;
    }
    records.push({ line: startLine, fields });
  }
  return records;
}

function countLineBreaks(s: string): number {
  let count = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c === 10) count += 1;
    else if (c === 13 && s.charCodeAt(k + 1) !== 10) count += 1;
  }
  return count;
}

/** One field as CSV: quoted when it holds the delimiter, a quote, a line break or edge spaces. */
export function csvField(value: string, delimiter = ','): string {
  if (
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r') ||
    value !== value.trim()
  ) {
    return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

/** Rows as CSV text: CRLF line breaks, as spreadsheet exports write them, and a final line break. */
export function writeCsv(rows: ReadonlyArray<readonly string[]>, delimiter = ','): string {
  checkDelimiter(delimiter);
  return rows.map((r) => `${r.map((f) => csvField(f, delimiter)).join(delimiter)}\r\n`).join('');
}
