import { describe, expect, it } from 'vitest';
import { lambdaBody } from '#local/gateway-body.ts';

const latin1 = Buffer.from('{"value":"caf\u00e9"}', 'latin1');
const utf8 = Buffer.from('{"value":"café"}');

describe('Function: lambdaBody (the local gateway, as API Gateway HTTP API)', () => {
  it('hands over no body when none was sent', () => {
    expect(lambdaBody(Buffer.alloc(0), 'application/json')).toEqual({
      body: undefined,
      isBase64Encoded: false,
    });
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/xml'])(
    'hands over UTF-8 under a text type (%s) as text',
    (contentType) => {
      expect(lambdaBody(utf8, contentType)).toEqual({
        body: '{"value":"café"}',
        isBase64Encoded: false,
      });
    },
  );

  it.each([
    ['no Content-Type', undefined],
    ['a binary type', 'application/octet-stream'],
    ['a structured-syntax JSON type', 'application/vnd.api+json'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['another charset', 'application/json; charset=iso-8859-1'],
  ])('hands over the bytes as base64 under %s', (_, contentType) => {
    expect(lambdaBody(utf8, contentType)).toEqual({
      body: utf8.toString('base64'),
      isBase64Encoded: true,
    });
  });

  it('never decodes bytes that are not UTF-8 lossily: they go as base64, intact', () => {
    expect(lambdaBody(latin1, 'application/json')).toEqual({
      body: latin1.toString('base64'),
      isBase64Encoded: true,
    });
  });
});
