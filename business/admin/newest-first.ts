import type { RoomStream } from './room-stream.js';

/**
 * Room streams by their heads, newest first (by sentAt, then room id, then seq, all
 * descending): a binary heap, so merging many rooms costs log(rooms) per message.
 */
export class NewestFirst {
  private readonly heap: RoomStream[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** Adds a stream that has a head. */
  push(stream: RoomStream): void {
    const heap = this.heap;
    heap.push(stream);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!newer(heap[i] as RoomStream, heap[parent] as RoomStream)) break;
      [heap[i], heap[parent]] = [heap[parent] as RoomStream, heap[i] as RoomStream];
      i = parent;
    }
  }

  /** Removes and returns the stream whose head is newest. */
  pop(): RoomStream | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    for (let i = 0; ;) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let best = i;
      if (left < heap.length && newer(heap[left] as RoomStream, heap[best] as RoomStream))
        best = left;
      if (right < heap.length && newer(heap[right] as RoomStream, heap[best] as RoomStream))
        best = right;
      if (best === i) break;
      [heap[i], heap[best]] = [heap[best] as RoomStream, heap[i] as RoomStream];
      i = best;
    }
    return top;
  }
}

function newer(a: RoomStream, b: RoomStream): boolean {
  const [x, y] = [a.head, b.head];
  if (x === undefined || y === undefined) return x !== undefined;
  if (x.sentAt !== y.sentAt) return x.sentAt > y.sentAt;
  if (a.roomId !== b.roomId) return a.roomId > b.roomId;
  return x.seq > y.seq;
}
