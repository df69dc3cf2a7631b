import { CONFUSABLE_PROTOTYPES } from './confusable-prototypes.js';

/** Removed before mapping (UTS #39 §4): they change nothing a reader sees. */
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

let prototypes: Map<string, string> | undefined;

/**
 * The UTS #39 skeleton of the text: two texts that look alike (confusables) have the same
 * skeleton. Only for comparing; it is no name to show: `m` becomes `rn`, `I` becomes `l`.
 * The algorithm of UTS #39 §4: NFD, drop default-ignorable characters, replace each character by
 * its prototype from confusables.txt, NFD again.
 * @example skeleton('𝔭𝒶ỿ𝕡𝕒ℓ') === skeleton('paypal') // true
 */
export function skeleton(text: string): string {
  const table = (prototypes ??= parsePrototypes());
  let mapped = '';
  for (const char of text.normalize('NFD').replace(DEFAULT_IGNORABLE, '')) {
    mapped += table.get(char) ?? char;
  }
  return mapped.normalize('NFD');
}

function parsePrototypes(): Map<string, string> {
  const table = new Map<string, string>();
  for (const line of CONFUSABLE_PROTOTYPES.split('\n')) {
    if (line === '') continue;
    const [source = '', ...prototype] = line.split(' ').map(fromHex);
    table.set(source, prototype.join(''));
  }
  return table;
}

function fromHex(codePoint: string): string {
  return String.fromCodePoint(parseInt(codePoint, 16));
}
