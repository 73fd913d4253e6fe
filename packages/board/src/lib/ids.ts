/**
 * Card and group ids. crypto.randomUUID exists only in secure contexts, and phones on a
 * workshop LAN often load the app over plain http, so use getRandomValues.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** What an id may look like on the wire (`Id` in @kaptar/protocol): URL-safe, 1 to 64 characters. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
const ID = new RegExp(ID_PATTERN);

export function isId(value: string): boolean {
  return ID.test(value);
}

export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
