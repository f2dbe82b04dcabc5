import { UserError } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { pgMissingError } from './backend.js';

const notFound = (message: string, code = 'ERR_MODULE_NOT_FOUND') =>
  Object.assign(new Error(message), { code });

describe('pgMissingError', () => {
  it("turns Node's missing-package error for pg into a UserError that says how to install it", () => {
    const e = pgMissingError(
      notFound("Cannot find package 'pg' imported from /usr/lib/node_modules/@roster/cli/bundle/main.js"),
    );
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toMatch(/needs the 'pg' package.*npm install -g pg@8/);
  });

  it('leaves any other failure as it is', () => {
    const other = notFound("Cannot find package 'pg-native' imported from /x.js");
    expect(pgMissingError(other)).toBe(other);
    const syntax = new SyntaxError('Unexpected token');
    expect(pgMissingError(syntax)).toBe(syntax);
  });
});
