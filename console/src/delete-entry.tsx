import { useState } from 'preact/hooks';
import { api, describeError } from './api.ts';
import type { Entry } from './api-types.ts';
import { NameText } from './name-text.tsx';
import { Status } from './status.tsx';

/** Delete, after a confirmation step; the history stays. */
export function DeleteEntry({ entry, onDeleted }: { entry: Entry; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const remove = async () => {
    try {
      await api.remove(entry.name, { expectedVersion: entry.version });
      onDeleted();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <>
      {confirming ? (
        <fieldset class="row confirm" aria-label={`Delete ${entry.name}? Its history is kept.`}>
          <legend>
            Delete <NameText name={entry.name} />? Its history is kept.
          </legend>
          <button type="button" class="danger" onClick={remove}>
            Yes, delete
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <button type="button" class="danger" onClick={() => setConfirming(true)}>
          Delete…
        </button>
      )}
      {error && <Status error={error} />}
    </>
  );
}
