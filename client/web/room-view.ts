import type { ChannelFactory } from '../core/channel.js';
import type { ChatMessage, ServerEvent } from '../core/events.js';
import type { ParleyApi } from '../core/parley-api.js';
import { type ConnectionStatus, RoomClient, type RoomClientEnd } from '../core/room-client.js';
import { byId } from './dom.js';
import { entryFor } from './event-entries.js';
import { LogView } from './log-view.js';
import { PeopleView } from './people-view.js';

/** Messages per "Load older messages" page. */
const OLDER_PAGE = 50;

/** What the room view tells the page around it. */
export interface RoomViewHooks {
  status(status: ConnectionStatus): void;
  /** The person is in this room now (at the join, and after a `/join`). */
  entered(roomId: string, name: string): void;
  /** The person is out of the room: they left, or the server refused them for good. */
  ended(end: RoomClientEnd, wasConnected: boolean): void;
}

/**
 * The room page: the conversation, the people in the room, and the message box. One
 * `RoomClient` from the client core keeps the person in the room (reconnects, fills gaps,
 * orders by seq); this view only shows what it reports and hands it what the person types.
 */
export class RoomView {
  readonly #channels: readonly ChannelFactory[];
  readonly #hooks: RoomViewHooks;
  readonly #title = byId('room-title', HTMLHeadingElement);
  readonly #older = byId('older', HTMLButtonElement);
  readonly #composer = byId('composer', HTMLFormElement);
  readonly #input = byId('message', HTMLInputElement);
  readonly #send = byId('send', HTMLButtonElement);
  readonly #log = new LogView(byId('log', HTMLDivElement), byId('log-list', HTMLOListElement));
  readonly #people: PeopleView;
  #client: RoomClient | undefined;
  #roomId = '';
  #connectedOnce = false;
  /** `/list` requests sent by the view itself, whose answers refresh the people list quietly. */
  #quietLists = 0;

  constructor(channels: readonly ChannelFactory[], hooks: RoomViewHooks) {
    this.#channels = channels;
    this.#hooks = hooks;
    this.#people = new PeopleView((name) => this.#privateTo(name));
    this.#composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    byId('leave', HTMLButtonElement).addEventListener('click', () => this.leave());
    this.#older.addEventListener('click', () => void this.#loadOlder());
  }

  /**
   * Joins the room as `nickname` through `api` (which carries the access token, if any); the
   * conversation starts with the server's replay.
   */
  join(roomId: string, roomName: string, nickname: string, api: ParleyApi): void {
    this.#client?.leave();
    this.#roomId = roomId;
    this.#connectedOnce = false;
    this.#quietLists = 0;
    this.#title.textContent = roomName;
    this.#log.clear();
    this.#people.clear();
    this.#older.hidden = true;
    this.#setComposerEnabled(true);
    // A client left behind (an earlier room) may still report as it ends: only this one counts.
    const current = (): boolean => this.#client === client;
    const client: RoomClient = new RoomClient({
      api,
      roomId,
      name: nickname,
      channels: this.#channels,
      listener: {
        status: (status) => current() && this.#status(status),
        messages: (messages) => current() && this.#messages(messages),
        event: (event) => current() && this.#event(event),
        missing: (gap) => current() && this.#log.appendMissing(gap),
        ended: (end) => current() && this.#ended(end),
      },
    });
    this.#client = client;
    client.start();
    this.#input.focus();
  }

  /** Reconnects at once when a reconnect is waiting out its delay. */
  reconnectNow(): void {
    this.#client?.reconnectNow();
  }

  /** Leaves with `/quit` (the room sees the person leave); `ended` follows. */
  leave(): void {
    const client = this.#client;
    if (client === undefined || client.state === 'closed') {
      this.#hooks.ended({ reason: 'quit', message: 'you left' }, this.#connectedOnce);
    } else client.leave();
  }

  #status(status: ConnectionStatus): void {
    this.#hooks.status(status);
    if (status.state !== 'connected') return;
    this.#connectedOnce = true;
    // Who is here now: asked on the connection itself, so its answer comes in order with the
    // presence events around it (and again after each reconnect, for whoever came and went).
    // One at a time: an answer the dropped connection still owed will never come.
    this.#quietLists = 1;
    this.#client?.send('/list');
  }

  #messages(messages: readonly ChatMessage[]): void {
    this.#followRoom();
    this.#log.appendMessages(messages, this.#client?.name ?? '');
    this.#updateOlder();
  }

  #event(event: ServerEvent): void {
    this.#followRoom();
    const me = this.#client?.name ?? '';
    if (event.event_type === 'participants' && this.#quietLists > 0) {
      this.#quietLists -= 1;
      this.#people.apply(event, me);
      if (typeof event.name === 'string') this.#title.textContent = event.name;
      return;
    }
    this.#people.apply(event, me);
    if (event.event_type === 'joined_room' && typeof event.name === 'string') {
      this.#title.textContent = event.name;
      this.#hooks.entered(this.#roomId, event.name);
    }
    const entry = entryFor(event, me);
    if (entry !== undefined) this.#log.appendEntry(entry);
  }

  /** After `/join`, the client core follows the person into the new room: so does the view. */
  #followRoom(): void {
    const roomId = this.#client?.roomId;
    if (roomId === undefined || roomId === this.#roomId) return;
    this.#roomId = roomId;
    this.#log.clear();
    this.#people.clear();
    this.#older.hidden = true;
  }

  #ended(end: RoomClientEnd): void {
    this.#setComposerEnabled(false);
    const readable = { ...end, message: endMessage(end) };
    if (end.reason !== 'quit' && end.reason !== 'room_closed') {
      this.#log.appendEntry({ kind: 'error', text: readable.message });
    }
    this.#hooks.ended(readable, this.#connectedOnce);
  }

  #submit(): void {
    const client = this.#client;
    const text = this.#input.value;
    if (client === undefined || text.trim() === '') return;
    client.send(text);
    this.#input.value = '';
    if (client.state !== 'connected') {
      this.#log.appendEntry({
        kind: 'notice',
        text: 'Not connected: what you typed is sent once the connection is back',
      });
    }
  }

  /** Starts a private message to `name`, keeping what was typed (but not another `/msg @…`). */
  #privateTo(name: string): void {
    const typed = this.#input.value.replace(/^\/msg\s+@?\S+\s?/i, '');
    this.#input.value = `/msg @${name} ${typed}`;
    this.#input.focus();
    this.#input.setSelectionRange(this.#input.value.length, this.#input.value.length);
  }

  async #loadOlder(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    this.#older.disabled = true;
    try {
      const page = await client.olderPage(OLDER_PAGE);
      this.#log.prependMessages(page, client.name);
    } catch (error) {
      this.#log.appendEntry({
        kind: 'error',
        text: `Could not load older messages: ${String(error)}`,
      });
    } finally {
      this.#older.disabled = false;
      this.#updateOlder();
    }
  }

  #updateOlder(): void {
    const oldest = this.#client?.oldestSeq;
    const more = oldest !== undefined && oldest > 1;
    if (!more && document.activeElement === this.#older) this.#log.scroller.focus();
    this.#older.hidden = !more;
  }

  #setComposerEnabled(enabled: boolean): void {
    this.#input.disabled = !enabled;
    this.#send.disabled = !enabled;
  }
}

/** Why the client stopped, in words (ends the server explains with an event of its own included). */
function endMessage(end: RoomClientEnd): string {
  switch (end.reason) {
    case 'room_closed':
      return 'the operator closed this room';
    case 'kicked':
      return 'an operator removed you from the room';
    default:
      return end.message;
  }
}
