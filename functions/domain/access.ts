import { AccessDeniedError } from './errors.ts';

/**
 * What a caller may do, by name prefix (Consul's ACLs on key prefixes, IAM on SSM parameter
 * paths): the prefixes under which it may read, and those under which it may write. The empty
 * prefix covers every name. Writing a name implies reading it: a writer learns a name's values
 * anyway (a write answers with the entry, a revert with the state it restored), so a write-only
 * prefix would protect nothing and only break expectedVersion and If-Match.
 */
export interface Policy {
  /** Sorted; none covers another. */
  readonly read: readonly string[];
  readonly write: readonly string[];
}

export type Access = 'read' | 'write';

export const fullAccess: Policy = { read: [''], write: [''] };

/** The scopes of access, as JWT scopes and as the values of the IAM principal mapping. */
export const accessScopes = {
  read: 'config:read',
  write: 'config:write',
  /**
   * Grants nothing by itself: lets a token whose access is only prefixed scopes past API
   * Gateway's per-route scope check (which cannot enumerate prefixes); the handlers then enforce
   * the prefixes.
   */
  prefixed: 'config:prefixed',
} as const;

/** The characters of a prefix, as the `prefix` query parameter takes them. */
const prefixPattern = /^[A-Za-z0-9._:-]+$/;
const scopePattern = /^config:(read|write)(?::(.*))?$/s;

/**
 * The policy a set of scopes grants: `config:read` and `config:write` cover every name,
 * `config:read:<prefix>` and `config:write:<prefix>` the names that start with the prefix
 * (which must be non-empty and use only the characters of a name). Any other scope, and a
 * malformed prefixed one, grants nothing.
 */
export function policyFromScopes(scopes: Iterable<string>): Policy {
  const read: string[] = [];
  const write: string[] = [];
  for (const scope of scopes) {
    const match = scopePattern.exec(scope);
    if (!match) continue;
    const prefix = match[2] ?? '';
    if (match[2] !== undefined && !prefixPattern.test(prefix)) continue;
    read.push(prefix);
    if (match[1] === 'write') write.push(prefix);
  }
  return { read: covering(read), write: covering(write) };
}

/** Everything any of the policies allows. */
export function unionOf(policies: readonly Policy[]): Policy {
  return {
    read: covering(policies.flatMap((policy) => policy.read)),
    write: covering(policies.flatMap((policy) => policy.write)),
  };
}

/** The fewest prefixes that cover the same names: sorted, none starting with another. */
function covering(prefixes: readonly string[]): string[] {
  const sorted = [...new Set(prefixes)].sort();
  return sorted.filter(
    (prefix) => !sorted.some((other) => other !== prefix && prefix.startsWith(other)),
  );
}

export function mayAccess(policy: Policy, access: Access, name: string): boolean {
  return policy[access].some((prefix) => name.startsWith(prefix));
}

/** Whether the policy allows the access to any name at all (a route's level). */
export function mayUseAtAll(policy: Policy, access: Access): boolean {
  return policy[access].length > 0;
}

/** Whether the policy covers every name for the access: nothing to filter. */
export function coversEverything(policy: Policy, access: Access): boolean {
  return policy[access].includes('');
}

/**
 * The prefixes the caller may read under `prefix`, in name order, each a range of names of its
 * own: `prefix` itself when the policy covers it, else the policy's prefixes that lie under it.
 * Refused when there are none: the caller asked about names it can never see.
 */
export function readableUnder(policy: Policy, prefix: string): string[] {
  if (mayAccess(policy, 'read', prefix)) return [prefix];
  const within = policy.read.filter((allowed) => allowed.startsWith(prefix));
  if (within.length === 0) throw new AccessDeniedError(deniedMessage(policy, 'read', prefix, true));
  return within;
}

/** Refuses a name the policy does not cover, with the same answer whether it exists or not. */
export function assertMayAccess(policy: Policy, access: Access, name: string): void {
  if (!mayAccess(policy, access, name)) {
    throw new AccessDeniedError(deniedMessage(policy, access, name, false));
  }
}

/** Refuses a request that names any name the policy does not cover for writing: all or none. */
export function assertMayWriteAll(policy: Policy, names: Iterable<string>): void {
  const outside = [...new Set(names)].filter((name) => !mayAccess(policy, 'write', name));
  if (outside.length === 0) return;
  throw new AccessDeniedError(
    `Nothing was done: your access does not let you write ${outside.length === 1 ? 'the name' : 'the names'} ${outside.join(', ')}. ${grantedText(policy, 'write')}`,
    { details: { names: outside } },
  );
}

/** Refuses a route whose level the policy does not allow at all. */
export function assertMayUseAtAll(policy: Policy, access: Access): void {
  if (!mayUseAtAll(policy, access)) {
    throw new AccessDeniedError(`Your access does not let you ${access} any name.`);
  }
}

function deniedMessage(policy: Policy, access: Access, subject: string, isPrefix: boolean) {
  const what = isPrefix ? `names under '${subject}'` : `'${subject}'`;
  return `Your access does not let you ${access} ${what}. ${grantedText(policy, access)}`;
}

/** The caller's own grant, in words: it reveals nothing about the entries. */
function grantedText(policy: Policy, access: Access): string {
  const prefixes = policy[access];
  if (prefixes.length === 0) return `You may ${access} no names.`;
  return `You may ${access} names under: ${prefixes.map((prefix) => `'${prefix}'`).join(', ')}.`;
}
