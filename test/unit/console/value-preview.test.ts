import { describe, expect, it } from 'vitest';
import { readJson } from '#console/json-text.ts';
import { previewLength, valuePreview } from '#console/value-preview.ts';

describe('Function: valuePreview', () => {
  it('shows a short value whole, as compact JSON', () => {
    expect(valuePreview({ enabled: true, rollout: 0.25 })).toBe('{"enabled":true,"rollout":0.25}');
    expect(valuePreview('on')).toBe('"on"');
    expect(valuePreview(null)).toBe('null');
  });

  it('never rounds a number: big integers and 1.0 keep their text', () => {
    // Prepare: read as the console reads the API's answers
    const value = readJson('{"id":12345678901234567890,"ratio":1.0,"tiny":1e-400}');

    // Act
    const preview = valuePreview(value);

    // Assess
    expect(preview).toBe('{"id":12345678901234567890,"ratio":1.0,"tiny":1e-400}');
  });

  it('cuts a long value to its length, the ellipsis included', () => {
    const preview = valuePreview('x'.repeat(200));
    expect(preview).toBe(`"${'x'.repeat(previewLength - 2)}…`);
    expect([...preview]).toHaveLength(previewLength);
  });

  it('keeps a value of exactly its length whole', () => {
    const value = 'x'.repeat(previewLength - 2);
    expect(valuePreview(value)).toBe(`"${value}"`);
  });

  it('stays on one line: line breaks inside strings stay escaped', () => {
    expect(valuePreview({ text: 'first\nsecond' })).toBe('{"text":"first\\nsecond"}');
  });

  it('never cuts inside a character made of several code points', () => {
    // Prepare: a family emoji is 7 code points, one character on screen
    const family = '👨‍👩‍👧';

    // Act
    const preview = valuePreview(`${family}${family}${family}`, 3);

    // Assess
    expect(preview).toBe(`"${family}…`);
  });
});
