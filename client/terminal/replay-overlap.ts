/**
 * The line protocol has no seq: after a reconnect the server replays the room's last messages
 * (`--history`, 15 by default) as lines, some of which were already shown. This finds where the
 * replay continues what was shown — the longest end of `shown` that the replay starts with —
 * and returns the replayed lines after it. `continues` is false when no shown line is found in
 * the replay: either more messages came while away than the server replays (some are missing),
 * or nothing was shown before.
 * @example afterOverlap(['a', 'b', 'c'], ['b', 'c', 'd']) // { fresh: ['d'], continues: true }
 */
export function afterOverlap(
  shown: readonly string[],
  replay: readonly string[],
): { fresh: string[]; continues: boolean } {
  for (let length = Math.min(shown.length, replay.length); length > 0; length -= 1) {
    const start = shown.length - length;
    if (replay.slice(0, length).every((line, index) => line === shown[start + index])) {
      return { fresh: replay.slice(length), continues: true };
    }
  }
  return { fresh: [...replay], continues: false };
}
