import { LosslessNumber } from 'lossless-json';

/**
 * How config-ledger reads a JSON number: as a JavaScript number when the double reproduces its
 * text exactly, otherwise kept as its text (12345678901234567890, 1.0, 1e400), so a value is
 * never rounded on its way through the service or the web console.
 */
export function exactNumber(text: string): number | LosslessNumber {
  const asDouble = Number(text);
  return String(asDouble) === text ? asDouble : new LosslessNumber(text);
}
