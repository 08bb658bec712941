import type { HistoryEvent } from './api-types.ts';
import { writeJson } from './json-text.ts';

/**
 * The versions a revert can restore usefully: those that set a value (reverting to a deletion
 * deletes, which Delete does already, and fails on a deleted entry), except the current version
 * and any version whose value the entry holds now (its revert would change nothing).
 */
export function revertTargets(events: readonly HistoryEvent[]): Set<number> {
  const latest = events.reduce<HistoryEvent | undefined>(
    (newest, event) => (newest && newest.version > event.version ? newest : event),
    undefined,
  );
  const currentValue = latest?.type === 'ConfigValueSet' ? writeJson(latest.value) : undefined;
  const targets = events.filter(
    (event) =>
      event.type === 'ConfigValueSet' &&
      event !== latest &&
      writeJson(event.value) !== currentValue,
  );
  return new Set(targets.map((event) => event.version));
}
