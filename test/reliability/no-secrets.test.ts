import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Shapes of real credentials; test fixtures use obviously fake ones (ASIAEXAMPLE, 'local'). */
const credentialPatterns: Record<string, RegExp> = {
  'an AWS access key id': /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
  'an AWS secret access key': /aws_secret_access_key\s*[:=]\s*['"]?[A-Za-z0-9/+]{40}/i,
  'a private key': /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/,
  'a GitHub token': /\bgh[pousr]_[A-Za-z0-9]{36}\b/,
  'a JWT': /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/,
};

describe('Security: no credentials in the repository', () => {
  const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && file !== 'package-lock.json');

  it.each(Object.entries(credentialPatterns))('holds no %s', (_, pattern) => {
    const offenders = files.filter((file) => {
      try {
        return pattern.test(readFileSync(file, 'utf8'));
      } catch {
        return false;
      }
    });
    expect(offenders).toEqual([]);
  });
});
