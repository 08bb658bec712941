import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ChangeFollower,
  type FeedPage,
  type FeedPosition,
  NetworkError,
  UnavailableError,
} from '#client/index.ts';

interface Numbered {
  readonly revision: number;
}

/** A feed that answers from a script, in turn, and records the position of each request. */
function scriptedFeed(...answers: (FeedPage<Numbered> | Error)[]) {
  const asked: FeedPosition[] = [];
  const readPage = async (position: FeedPosition) => {
    asked.push(position);
    const answer = answers[asked.length - 1];
    if (answer === undefined) throw new ApiError(400, 'end_of_script', 'No more answers.', '');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { readPage, asked };
}

const page = (revision: number, ...revisions: number[]): FeedPage<Numbered> => ({
  revision,
  changes: revisions.map((r) => ({ revision: r })),
});
const noWaits = { reconnect: { baseDelayMs: 0, maxDelayMs: 0 } };

async function take(follower: ChangeFollower<Numbered>, count: number): Promise<number[]> {
  const seen: number[] = [];
  for await (const change of follower.changes()) {
    seen.push(change.revision);
    if (seen.length === count) break;
  }
  return seen;
}

describe('Class: ChangeFollower', () => {
  it('hands out each change once, in order, even when a page repeats what came before', async () => {
    const { readPage, asked } = scriptedFeed(page(3, 2, 3), page(5, 3, 4, 5));
    const follower = new ChangeFollower(readPage, { after: 1 }, noWaits);

    const seen = await take(follower, 4);

    expect(seen).toEqual([2, 3, 4, 5]);
    expect(asked).toEqual([{ after: 1 }, { after: 3 }]);
  });

  it('starts at an instant, then goes on after the revision the first answer reached', async () => {
    const { readPage, asked } = scriptedFeed(page(9), page(10, 10));
    const follower = new ChangeFollower(readPage, { since: '2026-11-28T09:00:00Z' }, noWaits);

    expect(follower.revision).toBeUndefined();
    await take(follower, 1);

    expect(asked).toEqual([{ since: '2026-11-28T09:00:00Z' }, { after: 9 }]);
    expect(follower.revision).toBe(10);
  });

  it('stopped in the middle of a page, resumes right after the last change handed out', async () => {
    const { readPage } = scriptedFeed(page(8, 6, 7, 8));
    const follower = new ChangeFollower(readPage, { after: 5 }, noWaits);

    await take(follower, 2);

    expect(follower.revision).toBe(7);
  });

  it('rides out failures that pass by themselves, saying how long it waits, and goes on where it was', async () => {
    const busy = new UnavailableError(503, 'write_contention', 'Busy.', '');
    const down = new NetworkError('Cannot reach the service.');
    const { readPage, asked } = scriptedFeed(page(2, 2), down, busy, page(3, 3));
    const retries: unknown[] = [];
    const follower = new ChangeFollower(
      readPage,
      { after: 1 },
      {
        ...noWaits,
        onRetry: (error) => retries.push(error),
      },
    );

    const seen = await take(follower, 2);

    expect(seen).toEqual([2, 3]);
    expect(retries).toEqual([down, busy]);
    expect(asked.slice(1)).toEqual([{ after: 2 }, { after: 2 }, { after: 2 }]);
  });

  it('ends with the error when asking again cannot mend it', async () => {
    const refused = new ApiError(400, 'validation_error', 'after must be a revision.', '');
    const { readPage } = scriptedFeed(refused);
    const follower = new ChangeFollower(readPage, { after: 1 }, noWaits);

    await expect(take(follower, 1)).rejects.toBe(refused);
    expect(follower.revision).toBe(1);
  });

  it('hands out every change of a commit of several, which share its revision', async () => {
    const { readPage, asked } = scriptedFeed(page(4, 2, 3, 3, 4), page(5, 5));
    const follower = new ChangeFollower(readPage, { after: 1 }, noWaits);

    const seen = await take(follower, 5);

    expect(seen).toEqual([2, 3, 3, 4, 5]);
    expect(asked).toEqual([{ after: 1 }, { after: 4 }]);
  });

  it('stopped in the middle of a commit, resumes before it: shown again rather than cut short', async () => {
    const { readPage } = scriptedFeed(page(4, 2, 3, 3, 4));
    const follower = new ChangeFollower(readPage, { after: 1 }, noWaits);

    await take(follower, 2);

    expect(follower.revision).toBe(2);
  });

  it('moves back to where a restarted page says the feed starts over, and hands out what follows', async () => {
    const { readPage, asked } = scriptedFeed(
      page(9, 9),
      { ...page(4), restarted: true },
      page(5, 5),
    );
    const follower = new ChangeFollower(readPage, { after: 8 }, noWaits);

    const seen = await take(follower, 2);

    expect(seen).toEqual([9, 5]);
    expect(asked).toEqual([{ after: 8 }, { after: 9 }, { after: 4 }]);
  });

  it('rides out the failures its caller says to, and only those', async () => {
    const behind = new ApiError(404, 'revision_not_found', 'Not made yet.', '');
    const refused = new ApiError(400, 'validation_error', 'Bad.', '');
    const { readPage } = scriptedFeed(behind, page(2, 2), refused);
    const retries: unknown[] = [];
    const follower = new ChangeFollower(
      readPage,
      { after: 1 },
      {
        ...noWaits,
        ridesOut: (error) => error === behind,
        onRetry: (error) => retries.push(error),
      },
    );

    await expect(take(follower, 2)).rejects.toBe(refused);
    expect(retries).toEqual([behind]);
    expect(follower.revision).toBe(2);
  });
});
