import { describe, expect, it } from 'vitest';
import {
  assertMayAccess,
  assertMayWriteAll,
  fullAccess,
  mayAccess,
  mayUseAtAll,
  policyFromScopes,
  readableUnder,
  unionOf,
} from '#domain/access.ts';
import { AccessDeniedError } from '#domain/errors.ts';

const payments = policyFromScopes(['config:prefixed', 'config:write:payments.']);

describe('Module: access', () => {
  describe('Method: policyFromScopes', () => {
    it('grants every name with config:read and config:write', () => {
      expect(policyFromScopes(['config:read'])).toEqual({ read: [''], write: [] });
      expect(policyFromScopes(['config:write'])).toEqual(fullAccess);
    });

    it('grants a prefix with config:read:<prefix>, and reading it with config:write:<prefix>', () => {
      expect(policyFromScopes(['config:read:shared.', 'config:write:payments.'])).toEqual({
        read: ['payments.', 'shared.'],
        write: ['payments.'],
      });
    });

    it('keeps the fewest prefixes: one that another covers adds nothing', () => {
      const policy = policyFromScopes([
        'config:read:payments.checkout.',
        'config:read:payments.',
        'config:read:payments.',
      ]);
      expect(policy.read).toEqual(['payments.']);
      expect(policyFromScopes(['config:read:a', 'config:read']).read).toEqual(['']);
    });

    it.each([
      ['another service', 'openid'],
      ['the marker alone', 'config:prefixed'],
      ['an empty prefix', 'config:read:'],
      ['a prefix with a slash', 'config:write:a/b'],
      ['a prefix with a space', 'config:write:a b'],
      ['an unknown level', 'config:admin:payments.'],
      ['a look-alike', 'config:reader'],
      ['another resource server', 'api/config:write'],
    ])('grants nothing for %s', (_, scope) => {
      expect(policyFromScopes([scope])).toEqual({ read: [], write: [] });
    });
  });

  describe('Method: mayAccess', () => {
    it('covers the names that start with a prefix, nothing else', () => {
      expect(mayAccess(payments, 'read', 'payments.a')).toBe(true);
      expect(mayAccess(payments, 'write', 'payments.checkout.timeout_ms')).toBe(true);
      expect(mayAccess(payments, 'read', 'search.a')).toBe(false);
      expect(mayAccess(payments, 'read', 'payments')).toBe(false);
      expect(mayAccess(payments, 'read', 'paymentsx.a')).toBe(false);
    });

    it('tells a route level the caller has no access of at all', () => {
      const reader = policyFromScopes(['config:read:payments.']);
      expect(mayUseAtAll(reader, 'read')).toBe(true);
      expect(mayUseAtAll(reader, 'write')).toBe(false);
    });
  });

  describe('Method: readableUnder', () => {
    const two = policyFromScopes(['config:read:payments.', 'config:read:shared.']);

    it('keeps a prefix the policy covers whole', () => {
      expect(readableUnder(two, 'payments.checkout.')).toEqual(['payments.checkout.']);
      expect(readableUnder(fullAccess, 'search.')).toEqual(['search.']);
    });

    it("narrows a wider prefix to the policy's prefixes under it", () => {
      expect(readableUnder(two, '')).toEqual(['payments.', 'shared.']);
      expect(readableUnder(two, 'pay')).toEqual(['payments.']);
    });

    it('refuses a prefix the policy can read nothing under', () => {
      expect(() => readableUnder(two, 'search.')).toThrow(AccessDeniedError);
    });
  });

  describe('Method: assertMayAccess', () => {
    it('refuses with a message about the caller, never about the entry', () => {
      const refusal = () => assertMayAccess(payments, 'read', 'search.secret');
      expect(refusal).toThrow(AccessDeniedError);
      expect(refusal).toThrow(
        "Your access does not let you read 'search.secret'. You may read names under: 'payments.'.",
      );
    });
  });

  describe('Method: assertMayWriteAll', () => {
    it('refuses all when any name is outside, naming each once', () => {
      const refusal = () =>
        assertMayWriteAll(payments, ['payments.a', 'search.a', 'search.b', 'search.a']);
      expect(refusal).toThrow(AccessDeniedError);
      try {
        refusal();
      } catch (error) {
        expect((error as AccessDeniedError).details).toEqual({ names: ['search.a', 'search.b'] });
      }
    });

    it('lets through names all inside', () => {
      expect(() => assertMayWriteAll(payments, ['payments.a', 'payments.b'])).not.toThrow();
    });
  });

  describe('Method: unionOf', () => {
    it('allows what any of the policies allows', () => {
      const union = unionOf([payments, policyFromScopes(['config:read:shared.'])]);
      expect(union).toEqual({ read: ['payments.', 'shared.'], write: ['payments.'] });
      expect(unionOf([])).toEqual({ read: [], write: [] });
    });
  });
});
