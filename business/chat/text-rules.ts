/** Control characters (C0, DEL, C1) and lone surrogates: never allowed in names. */
const FORBIDDEN_IN_NAMES = /[\p{Cc}\p{Cs}]/u;

/** The form under which names are compared: `John`, `john` and `ＪＯＨＮ` (full-width) are one. */
export function comparisonKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** Number of Unicode code points, which is what people count as characters. */
export function codePointLength(text: string): number {
  return Array.from(text).length;
}

/** True when the name contains a control character or a broken surrogate pair. */
export function hasForbiddenCharacters(name: string): boolean {
  return FORBIDDEN_IN_NAMES.test(name);
}
