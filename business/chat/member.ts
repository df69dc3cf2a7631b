import type { Outbox } from '../ports/outbox.js';
import type { Message } from './message.js';
import { nicknameKeys, nicknamesClash, type NicknameKeys } from './nickname-keys.js';
import { withHidden, type Participant } from './participant.js';
import type { ParticipantsChanged, RoomEvent } from './room-event.js';

/** An ignored nickname as the ignorer named it, with its keys worked out once. */
interface IgnoredNickname {
  readonly name: string;
  readonly keys: NicknameKeys;
}

/** What a member receives live: room events and batched presence. */
export type LiveEvent = RoomEvent | ParticipantsChanged;

/**
 * One participant's live connection to one room, as seen by the room's fan-out.
 *
 * A member starts in replay mode: room events that arrive while its history is being read are
 * held back, then delivered after the history, minus any message the history already held.
 * That makes join → history → live gap-free and duplicate-free whatever the storage latency.
 */
export class Member {
  private held: LiveEvent[] | undefined = [];
  private replayedUpTo = 0;
  /** Nicknames whose messages this member does not want, oldest first; undefined while empty. */
  private ignoring: IgnoredNickname[] | undefined;

  constructor(
    readonly roomId: string,
    private current: Participant,
    readonly outbox: Outbox,
  ) {}

  /** Who this member is in the room (the nickname can change: see `rename`). */
  get participant(): Participant {
    return this.current;
  }

  /** The member's nickname. */
  get name(): string {
    return this.current.name;
  }

  /** Takes a new nickname (the presence registry has already granted it). */
  rename(name: string): void {
    this.current = { ...this.current, name };
  }

  /** Shows or hides the participant in lists (the presence registry has already recorded it). */
  setHidden(hidden: boolean): void {
    this.current = withHidden(this.current, hidden);
  }

  /** Hands a live room event to the connection (or holds it while replaying). */
  receive(event: LiveEvent): void {
    if (this.held !== undefined) {
      this.held.push(event);
      return;
    }
    if (event.type === 'message_posted' && event.message.seq <= this.replayedUpTo) return;
    if (this.ignoring !== undefined && this.isFromIgnored(event)) return;
    this.outbox.deliver(event);
  }

  /**
   * Stops delivering the nickname's room and private messages to this member, and those of any
   * nickname that counts as the same (see `nicknamesClash`).
   */
  ignore(nickname: string): void {
    const entry = { name: nickname, keys: nicknameKeys(nickname) };
    const ignoring = (this.ignoring ??= []);
    const same = ignoring.findIndex((ignored) => nicknamesClash(ignored.keys, entry.keys));
    if (same === -1) ignoring.push(entry);
    else ignoring[same] = entry;
  }

  /** Delivers the nickname's messages again; false when it was not ignored. */
  unignore(nickname: string): boolean {
    const keys = nicknameKeys(nickname);
    const kept = this.ignoring?.filter((ignored) => !nicknamesClash(ignored.keys, keys)) ?? [];
    const removed = kept.length < (this.ignoring?.length ?? 0);
    this.ignoring = kept.length > 0 ? kept : undefined;
    return removed;
  }

  /** The nicknames this member ignores, in the order they were ignored. */
  get ignored(): string[] {
    return (this.ignoring ?? []).map((ignored) => ignored.name);
  }

  private isFromIgnored(event: LiveEvent): boolean {
    const author =
      event.type === 'message_posted'
        ? event.message.participant
        : event.type === 'private_message' && event.from !== this.name
          ? event.from
          : undefined;
    if (author === undefined || this.ignoring === undefined) return false;
    const keys = nicknameKeys(author); // remembered per name: a lookup, not a skeleton, per event
    return this.ignoring.some((ignored) => nicknamesClash(ignored.keys, keys));
  }

  /** Delivers the history, oldest first, then whatever arrived meanwhile; ends replay mode. */
  completeReplay(history: readonly Message[]): void {
    for (const message of history) this.outbox.deliver({ type: 'message_replayed', message });
    this.replayedUpTo = history.at(-1)?.seq ?? 0;
    const held = this.held ?? [];
    this.held = undefined;
    for (const event of held) this.receive(event);
  }
}
