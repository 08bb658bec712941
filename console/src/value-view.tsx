import { useState } from 'preact/hooks';
import { pretty } from './json-text.ts';

/** A JSON value, pretty-printed, with a copy button. */
export function ValueView({ label, value }: { label: string; value: unknown }) {
  const [copied, setCopied] = useState<string>('');
  const text = pretty(value);
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setCopied('Copied.'),
      () => setCopied('Copying was refused by the browser; select the text instead.'),
    );
  return (
    <figure class="value">
      <figcaption class="row">
        <span>{label}</span>
        <button type="button" onClick={copy}>
          Copy
        </button>
        <span aria-live="polite">{copied}</span>
      </figcaption>
      <pre data-testid="value">{text}</pre>
    </figure>
  );
}
