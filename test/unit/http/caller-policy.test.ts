import { describe, expect, it } from 'vitest';
import { fullAccess } from '#domain/access.ts';
import { parsePrincipalPolicies, policyOfCaller } from '#http/caller-policy.ts';

const none = new Map();
const role = 'arn:aws:sts::123456789012:assumed-role/payments-deployer/session-1';

describe('Module: caller-policy', () => {
  describe('Method: policyOfCaller, with a JWT', () => {
    it('reads the space-separated scope claim', () => {
      const authorizer = {
        jwt: { claims: { sub: 'u', scope: 'openid config:prefixed config:write:payments.' } },
      };
      expect(policyOfCaller(authorizer, none)).toEqual({
        read: ['payments.'],
        write: ['payments.'],
      });
    });

    it('reads scp as API Gateway hands an array claim over, "[a b]"', () => {
      const authorizer = { jwt: { claims: { scp: '[config:read:shared. config:prefixed]' } } };
      expect(policyOfCaller(authorizer, none)).toEqual({ read: ['shared.'], write: [] });
    });

    it("adds API Gateway's own list of scopes", () => {
      const authorizer = { jwt: { claims: {}, scopes: ['config:read'] } };
      expect(policyOfCaller(authorizer, none).read).toEqual(['']);
    });

    it('grants nothing to a token without config scopes', () => {
      expect(policyOfCaller({ jwt: { claims: { sub: 'u' } } }, none)).toEqual({
        read: [],
        write: [],
      });
    });
  });

  describe('Method: policyOfCaller, with IAM', () => {
    const principals = parsePrincipalPolicies(
      JSON.stringify({
        'arn:aws:sts::123456789012:assumed-role/payments-*': ['config:write:payments.'],
        'arn:aws:sts::123456789012:assumed-role/*': ['config:read:shared.'],
      }),
    );

    it('grants what every pattern the principal matches grants', () => {
      expect(policyOfCaller({ iam: { userArn: role } }, principals)).toEqual({
        read: ['payments.', 'shared.'],
        write: ['payments.'],
      });
    });

    it('keeps full access for a principal no pattern matches, as before the mapping', () => {
      const user = 'arn:aws:iam::123456789012:user/ops';
      expect(policyOfCaller({ iam: { userArn: user } }, principals)).toEqual(fullAccess);
    });

    it('denies everyone not listed with a catch-all "*": []', () => {
      const strict = parsePrincipalPolicies(JSON.stringify({ '*': [] }));
      expect(policyOfCaller({ iam: { userArn: role } }, strict)).toEqual({ read: [], write: [] });
    });

    it('takes * for any run of characters and everything else literally', () => {
      const exact = parsePrincipalPolicies(
        JSON.stringify({ 'arn:aws:iam::1:user/a.b': ['config:read:x.'] }),
      );
      expect(policyOfCaller({ iam: { userArn: 'arn:aws:iam::1:user/aXb' } }, exact)).toEqual(
        fullAccess,
      );
    });
  });

  describe('Method: policyOfCaller, otherwise', () => {
    it('gives full access without an authorizer, or a Lambda authorizer without scopes', () => {
      expect(policyOfCaller(undefined, none)).toEqual(fullAccess);
      expect(policyOfCaller({ lambda: { actor: 'local' } }, none)).toEqual(fullAccess);
    });

    it("reads a Lambda authorizer's scopes", () => {
      const authorizer = { lambda: { actor: 'a', scopes: 'config:read:shared.' } };
      expect(policyOfCaller(authorizer, none).read).toEqual(['shared.']);
    });

    it('grants nothing for an authorizer context it cannot read', () => {
      expect(policyOfCaller({ jwt: { claims: 'odd' } }, none)).toEqual({ read: [], write: [] });
    });
  });

  describe('Method: parsePrincipalPolicies', () => {
    it('reads nothing from an unset variable', () => {
      expect(parsePrincipalPolicies(undefined).size).toBe(0);
      expect(parsePrincipalPolicies(' ').size).toBe(0);
    });

    it.each([
      ['not JSON', '{'],
      ['not a mapping', '[]'],
      ['scopes not as a list', '{"arn:*": "config:read"}'],
    ])('refuses a mapping that is %s, at load', (_, json) => {
      expect(() => parsePrincipalPolicies(json)).toThrow(/IAM_ACCESS_POLICIES/);
    });
  });
});
