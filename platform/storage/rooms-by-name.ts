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

  /** The oldest room whose name compares equal to `name`, or undefined. */
  find(name: string): Room | undefined {
    return this.oldest.get(comparisonKey(name));
  }
}
