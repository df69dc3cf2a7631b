/**
 * `new Date(ms).toISOString()`, remembering the last answer: a message's time is formatted for
 * storage and then for the wire, and messages that arrive together share a millisecond, so
 * most calls are answered without formatting anything.
 */
let lastMs = Number.NaN;
let lastIso = '';

export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
