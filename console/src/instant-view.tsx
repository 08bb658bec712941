import { localTime } from './instant.ts';

/**
 * An instant of the API as every page shows one: in the browser's time zone, like the date-time
 * fields, with the API's own UTC instant on hover and in the markup.
 */
export function Instant({ at }: { at: string }) {
  const instant = Date.parse(at);
  if (Number.isNaN(instant)) return <time>{at}</time>;
  return (
    <time dateTime={at} title={`UTC: ${new Date(instant).toISOString()}`}>
      {localTime(instant)}
    </time>
  );
}
