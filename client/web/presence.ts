import type { ServerEvent } from '../core/events.js';

/**
 * Who is in the room, in join order, kept live from presence events: `participant_joined`,
 * `participant_left`, `participant_renamed`, `participants_changed` (big rooms), and the full
 * list of a `participants` answer (`/list`), which replaces it.
 */
export class Presence {
  #names: string[] = [];

  get names(): readonly string[] {
    return this.#names;
  }

  clear(): void {
    this.#names = [];
  }

  /** Applies one event; returns whether the list changed. */
  apply(event: ServerEvent): boolean {
    const before = this.#names.join('\n');
    switch (event.event_type) {
      case 'participants':
        this.#names = namesOf(event.participants);
        break;
      case 'participant_joined':
        this.#add(stringsOf([event.participant]));
        break;
      case 'participant_left':
        this.#remove(stringsOf([event.participant]));
        break;
      case 'participants_changed':
        this.#add(stringsOf(event.joined));
        this.#remove(stringsOf(event.left));
        break;
      case 'participant_renamed':
        this.#rename(event.from, event.to);
        break;
      default:
        return false;
    }
    return this.#names.join('\n') !== before;
  }

  #add(names: string[]): void {
    for (const name of names) if (!this.#names.includes(name)) this.#names.push(name);
  }

  #remove(names: string[]): void {
    this.#names = this.#names.filter((name) => !names.includes(name));
  }

  #rename(from: unknown, to: unknown): void {
    if (typeof from !== 'string' || typeof to !== 'string') return;
    this.#names = this.#names.map((name) => (name === from ? to : name));
  }
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item) => typeof item === 'string') : [];
}

function namesOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const name = (entry as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? [name] : [];
  });
}
