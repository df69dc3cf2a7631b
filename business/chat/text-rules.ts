/** The form under which names are compared: `John`, `john` and `ＪＯＨＮ` (full-width) are one. */
export function comparisonKey(name: string): string {
  return name.normalize('NFKC').toLowerCase();
}

/** Number of Unicode code points, which is what people count as characters. */
export function codePointLength(text: string): number {
  return Array.from(text).length;
}
