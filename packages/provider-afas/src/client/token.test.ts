import { describe, expect, it } from 'vitest';
import {
  authorizationHeader,
  escapeXml,
  normalizeToken,
  parseAuthorization,
  parseTokenXml,
  tokenXml,
} from './token.js';

const DATA = '7C8DA34EB46F4F3EAC05CD6D4FAC30724D00B3E846EB177AE9F46FA68F1F1612';
const XML = `<token><version>1</version><data>${DATA}</data></token>`;

describe('AfasToken', () => {
  it('builds the XML token with escaping', () => {
    expect(tokenXml(DATA)).toBe(XML);
    expect(tokenXml('a<b&"c')).toBe('<token><version>1</version><data>a&lt;b&amp;&quot;c</data></token>');
    expect(escapeXml(`'<>&"`)).toBe('&apos;&lt;&gt;&amp;&quot;');
    expect(parseTokenXml(tokenXml('a<b&"c'))).toEqual({ version: '1', data: 'a<b&"c' });
  });

  it('accepts the token as AFAS shows it, as the OTP answer ends it, or only its data part', () => {
    expect(normalizeToken(XML)).toBe(XML);
    expect(normalizeToken(`${XML}\r\n`)).toBe(XML);
    expect(normalizeToken(`<token>\n  <version>1</version>\n  <data>${DATA}</data>\n</token>`)).toBe(XML);
    expect(normalizeToken(` ${DATA}\n`)).toBe(XML);
  });

  it('refuses what is not a token, without repeating it', () => {
    for (const bad of [
      '',
      '<token><data>x</data></token>',
      '<token><version>2</version><data>x</data></token>',
      'two words',
    ]) {
      const err = (() => {
        try {
          normalizeToken(bad);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err).toBeInstanceOf(Error);
      if (bad) expect(err!.message).not.toContain(bad);
    }
  });

  it('sends Base64 of the whole XML string, tags included', () => {
    const h = authorizationHeader(DATA);
    expect(h).toBe(`AfasToken ${Buffer.from(XML).toString('base64')}`);
    expect(parseAuthorization(h)).toEqual({ kind: 'token', data: DATA });
  });

  it('tells a server what a header carries', () => {
    expect(parseAuthorization(undefined)).toEqual({ kind: 'missing' });
    expect(parseAuthorization(`AfasToken ${XML}`)).toEqual({ kind: 'plain' });
    expect(parseAuthorization('Bearer x')).toEqual({ kind: 'invalid' });
    expect(parseAuthorization(`AfasToken ${Buffer.from('hello').toString('base64')}`)).toEqual({
      kind: 'invalid',
    });
    expect(parseAuthorization(`afastoken   ${Buffer.from(XML).toString('base64')}`)).toEqual({
      kind: 'token',
      data: DATA,
    });
  });
});
