import { SchemaValidator } from '@roster/core';
import { describe, expect, it } from 'vitest';
import { builtinProviders } from './providers.js';

// Every provider's privilege attributes are guarded: an optional one must say what its absence
// means, and that meaning must be a value its own schema accepts (it is planned and sent as such).
describe('privilege attributes of every built-in provider', () => {
  const validator = new SchemaValidator();
  const cases = builtinProviders.flatMap((p) =>
    Object.entries(p.kinds).flatMap(([kind, def]) =>
      Object.entries(def.attributes)
        .filter(([, rule]) => rule.privilege)
        .map(([attribute, rule]) => ({ type: p.type, kind, attribute, rule, def })),
    ),
  );

  it('there are privilege attributes to guard in every provider', () => {
    expect(new Set(cases.map((c) => c.type))).toEqual(new Set(builtinProviders.map((p) => p.type)));
  });

  it.each(cases.map((c) => [`${c.type} ${c.kind}.${c.attribute}`, c] as const))(
    '%s: required, or declares a valid absent value',
    (_, c) => {
      const required = ((c.def.schema.required as string[] | undefined) ?? []).includes(c.attribute);
      if (required) return;
      expect(c.rule, 'an optional privilege attribute declares `absent`').toHaveProperty('absent');
      // A reference to none is `null` (an AFAS token user holding no app connector's token).
      if (c.rule.absent === null && c.rule.ref) return;
      const props = c.def.schema.properties as Record<string, Record<string, unknown>>;
      const schema = { ...props[c.attribute], $defs: c.def.schema.$defs };
      const result = validator.check(schema, c.rule.absent, `/spec/${c.attribute}`);
      expect(result).toEqual({ problems: [] });
    },
  );
});
