import { randomBytes } from 'node:crypto';

/**
 * AFAS Profit tokens. A user token is shown once as an XML string,
 * `<token><version>1</version><data>…64 hex…</data></token>`; REST calls send the whole string,
 * tags included, Base64-encoded after `AfasToken` in the `Authorization` header.
 */

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
const XML_UNESCAPES: Record<string, string> = Object.fromEntries(
  Object.entries(XML_ESCAPES).map(([c, e]) => [e, c]),
);

/** Text escaped for an XML element. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

function unescapeXml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (e) => XML_UNESCAPES[e] ?? e);
}

/** `<token><version>1</version><data>…</data></token>` for a token's data part. */
export function tokenXml(data: string): string {
  return `<token><version>1</version><data>${escapeXml(data)}</data></token>`;
}

const TOKEN_XML = /^<token>\s*<version>([^<]*)<\/version>\s*<data>([^<]*)<\/data>\s*<\/token>$/;

/** The `data` part of a token's XML form; undefined when `xml` is not one. */
export function parseTokenXml(xml: string): { version: string; data: string } | undefined {
  const m = TOKEN_XML.exec(xml.trim());
  if (!m) return undefined;
  const data = unescapeXml(m[2]!.trim());
  return data ? { version: m[1]!.trim(), data } : undefined;
}

/**
 * The XML form of a token as an operator may have stored it: the whole XML string AFAS shows (the
 * OTP validation answer ends it with CR LF), or only its data part (some integration tools ask for
 * that). Throws, without the value, when it is neither.
 */
export function normalizeToken(raw: string): string {
  const text = raw.trim();
  if (text.startsWith('<')) {
    const parsed = parseTokenXml(text);
    if (parsed?.version !== '1') {
      throw new Error(
        'the token is not an AFAS token: expected <token><version>1</version><data>…</data></token> or its data part',
      );
    }
    return tokenXml(parsed.data);
  }
  if (text === '' || /\s/.test(text)) {
    throw new Error('the token is empty or contains white space: expected the XML token AFAS showed');
  }
  return tokenXml(text);
}

/** The `Authorization` header value for a token (XML or data part). */
export function authorizationHeader(raw: string): string {
  return `AfasToken ${Buffer.from(normalizeToken(raw), 'utf8').toString('base64')}`;
}

/** What an `Authorization` header carries, as a server reads it. */
export type ParsedAuthorization =
  | { kind: 'token'; data: string }
  /** The XML sent without Base64 encoding: AFAS refuses these plain-text tokens. */
  | { kind: 'plain' }
  | { kind: 'missing' }
  | { kind: 'invalid' };

/** Read an `Authorization: AfasToken …` header. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization {
  if (!header) return { kind: 'missing' };
  const m = /^AfasToken\s+(.+)$/i.exec(header.trim());
  if (!m) return { kind: 'invalid' };
  const value = m[1]!.trim();
  if (value.startsWith('<')) return parseTokenXml(value) ? { kind: 'plain' } : { kind: 'invalid' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'invalid' };
  const parsed = parseTokenXml(Buffer.from(value, 'base64').toString('utf8'));
  if (parsed?.version !== '1') return { kind: 'invalid' };
  return { kind: 'token', data: parsed.data };
}

/** A new token's data part: 64 upper-case hex characters, as AFAS generates them. */
export function newTokenData(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}
