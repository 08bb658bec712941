import { describe, expect, it } from 'vitest';
import { dynamoUsd, lambdaUsd } from '../../bench/prices.ts';

describe('Function: dynamoUsd', () => {
  it('prices a million read and a million write units at the on-demand list prices', () => {
    expect(dynamoUsd({ read: 1e6, write: 0 })).toBeCloseTo(0.125, 9);
    expect(dynamoUsd({ read: 0, write: 1e6 })).toBeCloseTo(0.625, 9);
  });
});

describe('Function: lambdaUsd', () => {
  it('bills started milliseconds at the memory size, plus the request', () => {
    // Prepare: 1,024 MB for 0.2 ms is billed as 1 ms of 1 GB.
    const oneMsOfOneGb = 0.001 * 0.0000133334;

    // Act
    const usd = lambdaUsd(1024, 0.2);

    // Assess
    expect(usd).toBeCloseTo(oneMsOfOneGb + 0.2 / 1e6, 15);
  });

  it('scales the duration charge with the memory size', () => {
    const request = 0.2 / 1e6;

    expect(lambdaUsd(2048, 10) - request).toBeCloseTo(2 * (lambdaUsd(1024, 10) - request), 15);
  });
});
