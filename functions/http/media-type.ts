/** A Content-Type header, read: its media type (lower case) and its charset, when declared. */
export interface MediaType {
  readonly type: string;
  /** Lower case, quotes removed; undefined when the header names none. */
  readonly charset?: string;
}

export function parseMediaType(contentType: string): MediaType {
  const [type = '', ...parameters] = contentType.split(';').map((part) => part.trim());
  const charset = parameters
    .map((parameter) => parameter.split('=').map((part) => part.trim()))
    .find(([name]) => name?.toLowerCase() === 'charset')?.[1];
  return {
    type: type.toLowerCase(),
    ...(charset === undefined ? {} : { charset: charset.replace(/^"(.*)"$/, '$1').toLowerCase() }),
  };
}

/** A body declared in no charset, or in UTF-8: the only encoding JSON is exchanged in. */
export function isUtf8OrUndeclared(mediaType: MediaType): boolean {
  return mediaType.charset === undefined || mediaType.charset === 'utf-8';
}

/** Fails on any byte sequence that is not UTF-8 (overlong forms and surrogates included). */
export const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
