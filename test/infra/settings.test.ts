import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { settingsFromContext } from '../../infra/cdk/settings.ts';

function settingsFor(context: Record<string, unknown>) {
  return settingsFromContext(new App({ context }).node);
}

describe('Function: settingsFromContext', () => {
  it('defaults to IAM authorization, INFO logs and no alarm email', () => {
    // Act
    const settings = settingsFor({});

    // Assess
    expect(settings).toEqual({ auth: { mode: 'iam' }, logLevel: 'INFO', alarmEmail: undefined });
  });

  it('reads a JWT issuer and a comma-separated audience list from the command line', () => {
    // Act
    const settings = settingsFor({
      authMode: 'jwt',
      jwtIssuer: 'https://login.example.com/realms/ops',
      jwtAudience: 'config-ledger, ops-console',
    });

    // Assess
    expect(settings.auth).toEqual({
      mode: 'jwt',
      issuer: 'https://login.example.com/realms/ops',
      audience: ['config-ledger', 'ops-console'],
    });
  });

  it('reads an audience list from cdk.json', () => {
    // Act
    const settings = settingsFor({
      authMode: 'jwt',
      jwtIssuer: 'https://login.example.com/',
      jwtAudience: ['config-ledger'],
    });

    // Assess
    expect(settings.auth).toMatchObject({ audience: ['config-ledger'] });
  });

  it.each([
    ['a JWT mode without issuer', { authMode: 'jwt', jwtAudience: 'a' }, /jwtIssuer/],
    [
      'a plain-http issuer',
      { authMode: 'jwt', jwtIssuer: 'http://x.example.com', jwtAudience: 'a' },
      /https/,
    ],
    [
      'a JWT mode without audience',
      { authMode: 'jwt', jwtIssuer: 'https://x.example.com' },
      /jwtAudience/,
    ],
    [
      'an empty audience',
      { authMode: 'jwt', jwtIssuer: 'https://x.example.com', jwtAudience: ' , ' },
      /audience/,
    ],
    ['an unknown auth mode', { authMode: 'cognito' }, /authMode/],
    ['an alarm email that is none', { alarmEmail: 'on-call' }, /alarmEmail/],
    ['an unknown log level', { logLevel: 'VERBOSE' }, /logLevel/],
  ])('refuses %s', (_, context, message) => {
    // Act
    const read = () => settingsFor(context);

    // Assess
    expect(read).toThrow(message);
  });

  it('treats an empty alarm email as none', () => {
    // Act
    const settings = settingsFor({ alarmEmail: '' });

    // Assess
    expect(settings.alarmEmail).toBeUndefined();
  });
});
