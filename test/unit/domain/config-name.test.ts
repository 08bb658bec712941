import { describe, expect, it } from 'vitest';
import { configNameSchema } from '#domain/config-name.ts';

describe('Schema: configNameSchema', () => {
  it.each([
    'a',
    '0',
    'payments.checkout.timeout_ms',
    'svc:payments:db-pool.max',
    'A-Z_0-9',
    'x'.repeat(256),
  ])('accepts %s', (name) => {
    expect(configNameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(257)],
    ['a slash', 'a/b'],
    ['a space', 'a b'],
    ['a leading dot', '.hidden'],
    ['a leading dash', '-x'],
    ['a leading underscore', '_x'],
    ['path traversal', '..'],
    ['a control character', 'a\u0000b'],
    ['a unicode look-alike of a', 'pаyments'],
    ['a percent sign', 'a%2Fb'],
    ['the reserved route name diff', 'diff'],
  ])('refuses %s', (_, name) => {
    expect(configNameSchema.safeParse(name).success).toBe(false);
  });
});
