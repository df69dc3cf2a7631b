/**
 * Which characters a name (nickname or room name) may hold. A name is shown to other people, so
 * it must not hide characters, look blank or turn the surrounding text around (issue 10).
 */

/** Control characters (C0, DEL, C1) and lone surrogates. */
const CONTROL = /[\p{Cc}\p{Cs}]/u;

/** U+2028 and U+2029: break the line wherever the name is shown. */
const LINE_BREAKING = /[\p{Zl}\p{Zp}]/u;

/** Marks and overrides that reorder the text around them (U+061C, U+200E/F, U+202A–E, U+2066–9). */
const DIRECTION_CONTROL = /\p{Bidi_Control}/u;

/**
 * Characters that show nothing: format characters (zero-width space and joiners, soft hyphen,
 * word joiner, BOM, tags…), the rest of Default_Ignorable_Code_Point (variation selectors, the
 * combining grapheme joiner, the Hangul fillers U+115F, U+1160, U+3164, U+FFA0), and U+2800
 * BRAILLE PATTERN BLANK, which is a symbol that prints as a blank.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * The invisible characters emoji need, where they have an effect: a zero-width joiner between
 * pictographs (👨‍👩‍👧, 👩🏽‍💻, 🏳️‍🌈), a variation selector after a pictograph (❤️) or in a
 * keycap (1️⃣).
 */
const EMOJI_JOINERS = new RegExp(
  [
    /(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic})/u,
    /(?<=\p{Extended_Pictographic})[\uFE0E\uFE0F]/u,
    /(?<=[#*0-9])\uFE0F(?=\u20E3)/u,
  ]
    .map((pattern) => pattern.source)
    .join('|'),
  'gu',
);

/** Anything but a mark or a separator: something a reader can see. */
const VISIBLE = /[^\p{M}\p{Z}]/u;

/** A combining mark at the start attaches to whatever is printed before the name. */
const LEADING_MARK = /^\p{M}/u;

/**
 * Why the (trimmed) name would be unreadable or misleading, as the rest of a sentence that starts
 * with "a nickname" or "a room name"; undefined when it is fine.
 * @example unreadableNameReason('A\u202E') // 'must not contain text-direction controls (…U+202E)'
 */
export function unreadableNameReason(name: string): string | undefined {
  if (CONTROL.test(name)) return 'must not contain control characters';
  const breaking = found(LINE_BREAKING, name);
  if (breaking) return `must not contain line or paragraph separators (found ${breaking})`;
  const direction = found(DIRECTION_CONTROL, name);
  if (direction) return `must not contain text-direction controls (found ${direction})`;
  const invisible = found(INVISIBLE, name.replace(EMOJI_JOINERS, ''));
  if (invisible) {
    return (
      `must not contain invisible characters (found ${invisible}); a zero-width joiner is ` +
      'allowed only between emoji, a variation selector only after one'
    );
  }
  if (!VISIBLE.test(name))
    return 'must contain a visible character, not only combining marks and spaces';
  const mark = found(LEADING_MARK, name);
  if (mark) return `must not start with a combining mark (found ${mark})`;
  return undefined;
}

/** The first character the pattern matches, as `U+XXXX`, or undefined. */
function found(pattern: RegExp, text: string): string | undefined {
  const match = pattern.exec(text)?.[0];
  if (match === undefined) return undefined;
  return `U+${(match.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
