import KSUID from 'ksuid';
import type { IdGenerator } from '../../business/ports/id-generator.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Ids as KSUIDs: 27 base62 characters, time-sortable, as Chatty's room ids are.
 *
 * Monotonic, for speed: the `ksuid` library makes one random KSUID per second (about 6 µs,
 * too slow to pay for every message); every other id in that second is the previous one plus
 * one, incremented directly in base62. Each is still a valid KSUID (same timestamp, payload +
 * n), unique (the random payload differs per second and per process), and ids from one process
 * sort in creation order. A carry past the leading digit cannot happen within a second.
 */
export class KsuidIdGenerator implements IdGenerator {
  private last = '';
  private second = -1;

  next(): string {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.second = second;
      this.last = KSUID.randomSync().string;
    } else {
      this.last = incrementBase62(this.last);
    }
    return this.last;
  }
}

/** The base62 number plus one, same width: `…z` → `…10` carries like any positional number. */
export function incrementBase62(value: string): string {
  let i = value.length - 1;
  while (i >= 0 && value[i] === 'z') i--;
  if (i < 0) return value; // all 'z': only reachable by 62^27 increments
  const bumped = BASE62[BASE62.indexOf(value[i] as string) + 1] as string;
  return value.slice(0, i) + bumped + '0'.repeat(value.length - 1 - i);
}
