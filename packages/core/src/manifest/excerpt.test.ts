import { describe, expect, it } from 'vitest';
import { excerpt, MAX_ECHO_CHARS } from './excerpt.js';
import { dottedPath } from './pointer.js';

describe('excerpt: what a message may quote of a manifest', () => {
  it('keeps short text whole and cuts long text to its start and length', () => {
    expect(excerpt('integrationVendor')).toBe('integrationVendor');
    const line = 'root:$6$saltsalt$0123456789abcdefghijklmnopqrstuvwxyz:19000:0:99999:7:::';
    const cut = excerpt(line);
    expect(cut).toBe(`root:$6$saltsalt… (${line.length} characters)`);
    expect(cut).not.toContain('0123456789');
    expect(excerpt('x'.repeat(MAX_ECHO_CHARS))).toBe('x'.repeat(MAX_ECHO_CHARS));
  });

  it('counts characters, not UTF-16 units', () => {
    expect(excerpt('é'.repeat(41))).toBe(`${'é'.repeat(16)}… (41 characters)`);
  });

  it('cuts a key a whole line long in a field path', () => {
    const key = 'This is a whole line of some configuration file: password=hunter2-hunter2';
    const p = dottedPath(`/spec/${key}`);
    expect(p).toBe(`spec["This is a whole … (${key.length} characters)"]`);
    expect(p).not.toContain('hunter2');
    expect(dottedPath('/spec/roles/0/ref')).toBe('spec.roles[0].ref');
  });
});
