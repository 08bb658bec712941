import { describe, expect, it } from 'vitest';
import { channelOfName, channelOfPrefix } from '#client/push-protocol.ts';

const channelPattern = /^\/changes(\/[A-Za-z0-9-]{1,50}){1,4}$/;

/** AppSync's wildcard: `/a/*` matches every channel below `/a`. */
const matches = (subscription: string, channel: string) =>
  channel.startsWith(subscription.slice(0, -1));

describe('Push channels', () => {
  describe('Function: channelOfName', () => {
    it('maps dotted segments to channel segments, escaping what AppSync does not allow', () => {
      expect(channelOfName('payments.checkout.timeout_ms')).toBe(
        '/changes/payments/checkout/timeout-ums',
      );
      expect(channelOfName('svc:eu-west-1.db')).toBe('/changes/svc-ceu--west--1/db');
      expect(channelOfName('retries')).toBe('/changes/retries');
    });

    it('keeps at most 4 segments, and a namespace of your choice', () => {
      expect(channelOfName('a.b.c.d.e.f')).toBe('/changes/a/b/c/d');
      expect(channelOfName('a.b', 'other')).toBe('/other/a/b');
    });

    it('ends a channel at a segment that cannot be one, with the leaf -', () => {
      expect(channelOfName(`a.${'x'.repeat(51)}.c`)).toBe('/changes/a/-');
      expect(channelOfName('a..b')).toBe('/changes/a/-');
    });

    it('is one to one on segments that fit: different names, different channels', () => {
      const names = ['a_b', 'a-b', 'a:b', 'a-ub', 'a--b'];
      expect(new Set(names.map((name) => channelOfName(name))).size).toBe(names.length);
    });

    it('always gives a channel AppSync accepts', () => {
      for (const name of ['x', 'a.b.c', 'a..b', `${'_'.repeat(30)}.b`, 'A-Z.0:9']) {
        expect(channelOfName(name)).toMatch(channelPattern);
      }
    });
  });

  describe('Function: channelOfPrefix', () => {
    it('subscribes to the whole segments of the prefix, at most 3, with a wildcard', () => {
      expect(channelOfPrefix('')).toBe('/changes/*');
      expect(channelOfPrefix('payments.')).toBe('/changes/payments/*');
      expect(channelOfPrefix('payments.check')).toBe('/changes/payments/*');
      expect(channelOfPrefix('pay')).toBe('/changes/*');
      expect(channelOfPrefix('a.b.c.d.e.')).toBe('/changes/a/b/c/*');
    });

    it('matches the channel of every name under the prefix', () => {
      const cases: [string, string][] = [
        ['payments.', 'payments.checkout.timeout_ms'],
        ['payments.check', 'payments.checkout'],
        ['a.b.c.d.', 'a.b.c.d.e.f'],
        [`a.${'x'.repeat(51)}.`, `a.${'x'.repeat(51)}.c`],
        ['a..', 'a..b'],
        ['svc:eu-west-1.', 'svc:eu-west-1.db'],
      ];
      for (const [prefix, name] of cases) {
        expect(matches(channelOfPrefix(prefix), channelOfName(name)), `${prefix} ${name}`).toBe(
          true,
        );
      }
    });
  });
});
