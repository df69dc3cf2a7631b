import { open } from 'node:fs/promises';

const SENT_AT = '2026-11-22T10:00:00.000Z';

/** The text of message `seq` in a big room file: its seq, then `x` up to `bytes` bytes. */
export function bigText(seq: number, bytes: number): string {
  const head = `${seq} `;
  return head + 'x'.repeat(bytes - head.length);
}

/**
 * Writes a room file of `count` messages (seq 1…count) whose texts are `textBytes` long, fast:
 * the text's bulk is one buffer written again for every line, only the seq changes.
 */
export async function writeBigRoomFile(
  path: string,
  count: number,
  textBytes: number,
): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (let first = 1; first <= count; first += 256) {
      const parts: Buffer[] = [];
      for (let seq = first; seq < first + 256 && seq <= count; seq++) {
        const head = `${seq} `;
        parts.push(Buffer.from(`{"id":"m${seq}","seq":${seq},"participant":"Ann","text":"${head}`));
        parts.push(filler(textBytes - head.length));
        parts.push(Buffer.from(`","sent_at":"${SENT_AT}"}\n`));
      }
      await file.writev(parts);
    }
  } finally {
    await file.close();
  }
}

/** One line of `rooms.jsonl` for the room with id `r<number>` and the given name. */
export function roomLine(number: number, name: string): string {
  return `${JSON.stringify({ id: `r${number}`, name, created_at: SENT_AT })}\n`;
}

/**
 * Appends rooms `r<first>`… named `name` plus their number to a rooms file until it holds at
 * least `minBytes`; resolves with the number after the last room written.
 */
export async function appendRooms(
  path: string,
  first: number,
  minBytes: number,
  name: string,
): Promise<number> {
  const file = await open(path, 'a');
  let next = first;
  try {
    for (let size = (await file.stat()).size; size < minBytes;) {
      const lines: string[] = [];
      for (let i = 0; i < 4096; i++, next++) lines.push(roomLine(next, `${name}${next}`));
      const chunk = Buffer.from(lines.join(''));
      await file.write(chunk);
      size += chunk.length;
    }
  } finally {
    await file.close();
  }
  return next;
}

const fillers = new Map<number, Buffer>();

function filler(bytes: number): Buffer {
  let buffer = fillers.get(bytes);
  if (buffer === undefined) {
    buffer = Buffer.alloc(bytes, 'x');
    fillers.set(bytes, buffer);
  }
  return buffer;
}
