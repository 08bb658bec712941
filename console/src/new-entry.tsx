import { useState } from 'preact/hooks';
import { api, describeError } from './api.ts';
import { parseJson } from './json-text.ts';
import { entryHref, navigate } from './router.ts';
import { Status } from './status.tsx';

/** Creates an entry: expectedVersion 0, so an existing name is never overwritten from here. */
export function NewEntry() {
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [comment, setComment] = useState('');
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseJson(value);
    if (!parsed.ok) return setState({ busy: false, error: parsed.error });
    setState({ busy: true });
    try {
      await api.put(name.trim(), {
        value: parsed.value,
        expectedVersion: 0,
        ...(comment ? { comment } : {}),
      });
      navigate(entryHref(name.trim()));
    } catch (error) {
      setState({ busy: false, error: describeError(error) });
    }
  };
  return (
    <section>
      <h1>New entry</h1>
      <form class="stack" onSubmit={submit}>
        <label for="new-name">Name</label>
        <input
          id="new-name"
          required
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <label for="new-value">Value (JSON)</label>
        <textarea
          id="new-value"
          rows={8}
          required
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
        />
        <label for="new-comment">Comment</label>
        <input
          id="new-comment"
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
        />
        <button type="submit" disabled={state.busy}>
          {state.busy ? 'Creating…' : 'Create'}
        </button>
        <Status error={state.error} />
      </form>
    </section>
  );
}
