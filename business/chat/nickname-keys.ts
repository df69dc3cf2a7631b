import { skeleton } from './skeleton.js';
import { comparisonKey } from './text-rules.js';

/**
 * The two forms under which a nickname clashes with another: one nickname per room means no two
 * present nicknames share either key (docs/decisions/0006-nickname-confusables.md says why two).
 */
export interface NicknameKeys {
  /**
   * The skeleton of the name in lower case: equal for case and width variants and for names
   * that look alike in lower case (`Ann`, `ANN`, `ＡＮＮ`, `Аnn` with a Cyrillic А).
   */
  readonly caseless: string;
  /**
   * The skeleton of the name as written, then lower-cased: equal for names that look alike as
   * written, capitals included (`BOB` and Cyrillic `ВОВ`; `Iris` and `lris`).
   */
  readonly cased: string;
}

/**
 * Keys by exact name, in two generations: a name recurs in every event it authors, so it is keyed
 * once. When the newer generation is full it becomes the older and the oldest is dropped; a name
 * found in the older one moves to the newer. That bounds memory without an LRU's bookkeeping.
 */
const GENERATION_SIZE = 10_000;
let newer = new Map<string, NicknameKeys>();
let older = new Map<string, NicknameKeys>();

/**
 * The keys under which the nickname is compared. Remembered per name, so calling this for every
 * event an author sends costs a lookup, not a skeleton.
 */
export function nicknameKeys(name: string): NicknameKeys {
  const known = newer.get(name);
  if (known !== undefined) return known;
  const keys = older.get(name) ?? computeKeys(name);
  if (newer.size >= GENERATION_SIZE) {
    older = newer;
    newer = new Map();
  }
  newer.set(name, keys);
  return keys;
}

/**
 * True when two nicknames count as the same in a room: they differ only in case or width, or
 * look alike (Unicode confusables).
 * @example nicknamesClash(nicknameKeys('Ann'), nicknameKeys('\u0410nn')) // true: Cyrillic А
 */
export function nicknamesClash(a: NicknameKeys, b: NicknameKeys): boolean {
  return a.caseless === b.caseless || a.cased === b.cased;
}

function computeKeys(name: string): NicknameKeys {
  const compatible = name.normalize('NFKC');
  return {
    caseless: skeleton(comparisonKey(compatible)),
    cased: skeleton(compatible).toLowerCase(),
  };
}
