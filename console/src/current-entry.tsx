import { useEffect, useRef, useState } from 'preact/hooks';
import type { Entry } from './api-types.ts';
import { DeleteEntry } from './delete-entry.tsx';
import { EditEntry } from './edit-entry.tsx';
import { Instant } from './instant-view.tsx';
import { ValueView } from './value-view.tsx';

interface Props {
  entry: Entry;
  /** After a save or delete from here: the page loads the entry and its history again. */
  onChanged: () => void;
}

/**
 * The entry as it is now, to read: version, when, by whom, the value. Edit opens the form in the
 * value's place (so the history below stays in view); Cancel, a save, or discarding the edit for
 * a newer version closes it.
 */
export function CurrentEntry({ entry, onChanged }: Props) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  // Keyboard users land back on Edit when the form closes, not at the top of the page.
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const done = () => {
    setEditing(false);
    onChanged();
  };
  return (
    <div class="card current">
      <dl class="meta">
        <dt>Version</dt>
        <dd data-testid="version">{entry.version}</dd>
        <dt>Updated</dt>
        <dd>
          <Instant at={entry.updatedAt} />
        </dd>
        <dt>By</dt>
        <dd class="actor">{entry.updatedBy}</dd>
      </dl>
      {editing ? (
        // A version loaded while the form is open (a revert below) gets a fresh form, based on it.
        <EditEntry
          key={entry.version}
          entry={entry}
          onDone={done}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          <ValueView label="Current value" value={entry.value} />
          <div class="row actions">
            <button type="button" ref={editButton} onClick={() => setEditing(true)}>
              Edit
            </button>
            <DeleteEntry entry={entry} onDeleted={onChanged} />
          </div>
        </>
      )}
    </div>
  );
}
