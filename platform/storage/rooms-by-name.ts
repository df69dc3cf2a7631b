import { comparisonKey } from '../../business/chat/text-rules.js';
import type { Room } from '../../business/chat/room.js';

/**
 * The oldest room for each name, keyed by `comparisonKey`: what `RoomRepository.findByName`
 * answers, in constant time however many rooms there are.
 */
export class RoomsByName {
  private readonly oldest = new Map<string, Room>();

  /** Records a room just added; an older room with the same name keeps its place. */
  add(room: Room): void {
    const key = comparisonKey(room.name);
    // Most names are their own key: keeping the name's string saves holding a copy of it.
    if (!this.oldest.has(key)) this.oldest.set(key === room.name ? room.name : key, room);
  }

  /**
   * Forgets a deleted room: when it was the oldest of its name, the oldest of `remaining` (the
   * rooms left, oldest first) with that name takes its place. Deleting is rare: this scans.
   */
  remove(room: Room, remaining: Iterable<Room>): void {
    const key = comparisonKey(room.name);
    if (this.oldest.get(key) !== room) return;
    this.oldest.delete(key);
    for (const other of remaining) {
      if (comparisonKey(other.name) === key) {
        this.oldest.set(key === other.name ? other.name : key, other);
        return;
      }
    }
  }

  /** The oldest room whose name compares equal to `name`, or undefined. */
  find(name: string): Room | undefined {
    return this.oldest.get(comparisonKey(name));
  }
}
