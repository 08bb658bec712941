import type { DynamoDBRecord } from 'aws-lambda';
import { expect } from 'vitest';
import type { Stores } from '#app/stores.ts';
import { projectorOf } from '#handlers/projector.ts';
import { lambdaContext } from '#local/lambda-context.ts';

/** Deterministic shuffling, so a failure can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const result = [...items];
  let state = seed;
  for (let index = result.length - 1; index > 0; index--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const other = state % (index + 1);
    [result[index], result[other]] = [result[other] as T, result[index] as T];
  }
  return result;
}

/** Hands records to the projector in batches, as the event source mapping would; none may fail. */
export async function deliverToProjector(
  views: Stores,
  records: DynamoDBRecord[],
  batchSize: number,
) {
  const projector = projectorOf(views);
  for (let start = 0; start < records.length; start += batchSize) {
    const response = await projector(
      { Records: records.slice(start, start + batchSize) },
      lambdaContext('projector', `batch-${start}`),
      () => {},
    );
    expect(response?.batchItemFailures).toEqual([]);
  }
}
