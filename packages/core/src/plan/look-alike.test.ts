import { describe, expect, it } from 'vitest';
import { LookAlikeIndex, lookAlikeDifference, lookAlikeSkeleton, showKey } from './look-alike.js';

describe('look-alike natural keys', () => {
  it('sees case, invisible characters, homoglyphs and full-width forms as the same key', () => {
    const base = lookAlikeSkeleton('WS_INVOICE');
    for (const k of [
      'ws_invoice',
      'WS_INVOICE\u200B',
      'WS_\u0399NVOICE',
      'WS_INV\u041EICE',
      'ＷＳ_INVOICE',
      '\uFEFFWS_INVOICE',
    ])
      expect(lookAlikeSkeleton(k), showKey(k)).toBe(base);
    expect(lookAlikeSkeleton('WS_INVOICE2')).not.toBe(base);
    expect(lookAlikeSkeleton('WS_LNVOICE')).not.toBe(base);
  });

  it('says how they differ and shows what cannot be seen', () => {
    expect(lookAlikeDifference('ws_invoice', 'WS_INVOICE')).toBe('only by case');
    expect(lookAlikeDifference('WS_\u0399NVOICE', 'WS_INVOICE')).toBe(
      'only by look-alike characters (U+0399)',
    );
    expect(lookAlikeDifference('WS_INVOICE', 'WS_INVOICE\u200B')).toBe(
      'only by invisible or look-alike characters (U+200B)',
    );
    expect(showKey('WS_INVOICE\u200B')).toBe('"WS_INVOICE\\u{200B}"');
  });

  it('indexes keys and finds the others that look alike', () => {
    const index = new LookAlikeIndex();
    for (const k of ['WS_A', 'WS_B', 'ws_a']) index.add(k);
    expect(index.like('WS_\u0410')).toEqual(['WS_A', 'ws_a']);
    expect(index.like('WS_A')).toEqual(['ws_a']);
    expect(index.like('WS_C')).toEqual([]);
  });
});
