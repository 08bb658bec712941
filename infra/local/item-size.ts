// Sizes as DynamoDB counts them ("DynamoDB item sizes and formats", Amazon DynamoDB Developer
// Guide): UTF-8 bytes, not characters; each attribute's name counts too.

/** An attribute value in DynamoDB's JSON form: exactly one type key, e.g. `{ "S": "text" }`. */
export type AttributeValue = object;
export type Item = Readonly<Record<string, AttributeValue>>;

/** A string's size: its UTF-8 bytes (strings are "Unicode with UTF-8 binary encoding"). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * A value's size: strings by UTF-8 bytes, binaries by raw (decoded) bytes, numbers about one
 * byte per two significant digits plus one (an approximation, as the guide says), booleans and nulls one byte, sets the sum of their
 * members, lists and maps 3 bytes plus one byte and the size of each element (a map element's
 * name included).
 */
export function valueSize(value: AttributeValue): number {
  const [type, content] = Object.entries(value)[0] ?? [];
  switch (type) {
    case 'S':
      return utf8Bytes(String(content));
    case 'N':
      return numberSize(String(content));
    case 'B':
      return Buffer.from(String(content), 'base64').length;
    case 'SS':
    case 'NS':
    case 'BS':
      return (content as string[]).reduce(
        (sum, member) => sum + valueSize({ [type.slice(0, 1)]: member }),
        0,
      );
    case 'L':
      return (content as AttributeValue[]).reduce(
        (sum, element) => sum + 1 + valueSize(element),
        3,
      );
    case 'M':
      return Object.entries(content as Item).reduce(
        (sum, [name, element]) => sum + 1 + utf8Bytes(name) + valueSize(element),
        3,
      );
    default:
      return 1;
  }
}

function numberSize(text: string): number {
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  // Measured on Amazon DynamoDB Local: a negative number takes one byte more.
  return 1 + Math.ceil(Math.max(digits.length, 1) / 2) + (text.trim().startsWith('-') ? 1 : 0);
}

/** An item's size: the sum of each attribute's name bytes and value size. */
export function itemSize(item: Item): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8Bytes(name) + valueSize(value),
    0,
  );
}

/** The size of only the named attributes of an item (those it has). */
export function attributesSize(item: Item, names: Iterable<string>): number {
  let size = 0;
  for (const name of new Set(names)) {
    const value = item[name];
    if (value) size += utf8Bytes(name) + valueSize(value);
  }
  return size;
}

/** How deep a value nests: a scalar is 1, a list or map one more than its deepest element. */
export function nestingDepth(value: AttributeValue): number {
  const [type, content] = Object.entries(value)[0] ?? [];
  const elements =
    type === 'L'
      ? (content as AttributeValue[])
      : type === 'M'
        ? Object.values(content as Item)
        : [];
  return 1 + elements.reduce((deepest, element) => Math.max(deepest, nestingDepth(element)), 0);
}
