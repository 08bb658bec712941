import { Fragment } from 'preact';
import { entryHref } from './router.ts';

/**
 * A name's pieces, each ending after one of the separators names use for hierarchy (`.` `:`
 * `_` `-`): where a long name may wrap, so it never breaks letter by letter.
 */
export function nameParts(name: string): string[] {
  return name.match(/[^.:_-]*[.:_-]*/g)?.filter((part) => part !== '') ?? [name];
}

/**
 * A name that wraps only after its separators (a `<wbr>` after each), for narrow screens. A
 * `<wbr>` is invisible, and copying the name copies it whole, but Chromium reads one as a space
 * ("shop. cart"): whatever holds a NameText names itself with the plain name (aria-label).
 */
export function NameText({ name }: { name: string }) {
  const parts = nameParts(name);
  return (
    <>
      {parts.map((part, index) => (
        // The same name always splits the same way, so a piece's place is its identity.
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 && <wbr />}
        </Fragment>
      ))}
    </>
  );
}

/** A link to an entry's page, its name wrapping only after separators. */
export function EntryLink({ name }: { name: string }) {
  return (
    <a href={entryHref(name)} aria-label={name}>
      <NameText name={name} />
    </a>
  );
}
