import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, describeError } from './api.ts';
import type { Entry } from './api-types.ts';
import { Instant } from './instant-view.tsx';
import { parseJson, pretty } from './json-text.ts';
import { Status } from './status.tsx';
import { ValueView } from './value-view.tsx';

interface Props {
  entry: Entry;
  /** After a save, or a discard in favour of a newer version: close, and load the entry again. */
  onDone: () => void;
  onCancel: () => void;
}

/** As many rows as the value has lines, within bounds: the history below stays in view. */
const rowsFor = (text: string) => Math.min(10, Math.max(3, text.split('\n').length));

/**
 * Edits a value against the version it was loaded at: if someone saved since, the API answers
 * 409 and the newer value is shown; nothing is overwritten unless the user chooses to.
 */
export function EditEntry({ entry, onDone, onCancel }: Props) {
  const [text, setText] = useState(() => pretty(entry.value));
  const [comment, setComment] = useState('');
  const [baseVersion, setBaseVersion] = useState(entry.version);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState<Entry>();
  const editor = useRef<HTMLTextAreaElement>(null);
  useEffect(() => editor.current?.focus(), []);
  const save = async (event: Event) => {
    event.preventDefault();
    const parsed = parseJson(text);
    if (!parsed.ok) return setError(parsed.error);
    setBusy(true);
    setError(undefined);
    try {
      await api.put(entry.name, {
        value: parsed.value,
        expectedVersion: baseVersion,
        ...(comment ? { comment } : {}),
      });
      onDone();
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 409) {
        setConflict(await api.get(entry.name).catch(() => undefined));
      }
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  const keepMine = (newer: Entry) => {
    setBaseVersion(newer.version);
    setConflict(undefined);
    setError(undefined);
  };
  return (
    <form class="stack edit" onSubmit={save}>
      <label for="edit-value">New value (JSON), based on version {baseVersion}</label>
      <textarea
        id="edit-value"
        ref={editor}
        rows={rowsFor(text)}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      <label for="edit-comment">Comment</label>
      <input id="edit-comment" value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
      <div class="row">
        <button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error && <Status error={error} />}
      {conflict && (
        <div class="conflict" data-testid="conflict">
          <p>
            Not saved: version {conflict.version} was saved by {conflict.updatedBy} at{' '}
            <Instant at={conflict.updatedAt} />, after the version {baseVersion} you started from.
          </p>
          <ValueView label={`Newer value (version ${conflict.version})`} value={conflict.value} />
          <div class="row">
            <button type="button" onClick={onDone}>
              Discard my edit and load version {conflict.version}
            </button>
            <button type="button" onClick={() => keepMine(conflict)}>
              Keep my edit, to save over version {conflict.version}
            </button>
          </div>
        </div>
      )}
    </form>
  );
}
