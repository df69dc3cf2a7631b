import { ApiError, type ParleyApi, type RoomSummary } from '../core/parley-api.js';
import { nicknameOfToken } from './access-token.js';
import { byId, element } from './dom.js';

const NICKNAME_KEY = 'parley.nickname';
/** Kept for this tab only (sessionStorage): a reload keeps it, closing the tab forgets it. */
const TOKEN_KEY = 'parley.token';

/** Who joins: the nickname, and the access token when the server asks for one. */
export interface Identity {
  readonly nickname: string;
  readonly token?: string;
}

/**
 * The first page: a nickname (or an access token, whose `sub` is the nickname), the rooms
 * (filtered as the person types), and a box to create a room. Choosing a room hands it, with
 * the identity, to `onJoin`.
 */
export class LobbyView {
  readonly #apiFor: (token?: string) => ParleyApi;
  readonly #onJoin: (room: RoomSummary, identity: Identity) => void;
  readonly #nickname = byId('nickname', HTMLInputElement);
  readonly #token = byId('token', HTMLInputElement);
  readonly #filter = byId('room-filter', HTMLInputElement);
  readonly #list = byId('room-list', HTMLUListElement);
  readonly #empty = byId('rooms-empty', HTMLParagraphElement);
  readonly #error = byId('lobby-error', HTMLParagraphElement);
  readonly #newRoom = byId('new-room', HTMLInputElement);
  #rooms: RoomSummary[] = [];

  constructor(
    apiFor: (token?: string) => ParleyApi,
    onJoin: (room: RoomSummary, identity: Identity) => void,
  ) {
    this.#apiFor = apiFor;
    this.#onJoin = onJoin;
    this.#nickname.value = localStorage.getItem(NICKNAME_KEY) ?? '';
    this.#token.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
    if (this.#token.value !== '') byId('token-details', HTMLDetailsElement).open = true;
    this.#filter.addEventListener('input', () => this.#render());
    byId('refresh-rooms', HTMLButtonElement).addEventListener('click', () => void this.refresh());
    byId('create-room-form', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#create();
    });
    this.#list.addEventListener('click', (event) => {
      const id = (event.target as Element | null)
        ?.closest('button[data-room]')
        ?.getAttribute('data-room');
      const room = this.#rooms.find((candidate) => candidate.id === id);
      if (room !== undefined) this.#join(room);
    });
  }

  /** The nickname field's value, trimmed. */
  get nickname(): string {
    return this.#nickname.value.trim();
  }

  /** The access token field's value, trimmed ('' when none). */
  get token(): string {
    return this.#token.value.trim();
  }

  /** Who would join now: undefined (and why, shown) when that is not known yet. */
  identity(): Identity | undefined {
    const token = this.token;
    if (token !== '') {
      const nickname = nicknameOfToken(token);
      if (nickname !== undefined) return { nickname, token };
      this.showError('That access token cannot be read (it has no sub claim).');
      this.#token.focus();
      return undefined;
    }
    if (this.nickname !== '') return { nickname: this.nickname };
    this.showError('Choose a nickname first.');
    this.#nickname.focus();
    return undefined;
  }

  /** Reads the rooms again (every page of them). */
  async refresh(): Promise<void> {
    try {
      this.#rooms = await this.#apiFor().allRooms();
      this.#render();
    } catch (error) {
      this.showError(`Could not list the rooms: ${messageOf(error)}`);
    }
  }

  showError(text: string): void {
    this.#error.textContent = text;
  }

  focus(): void {
    (this.nickname === '' ? this.#nickname : this.#filter).focus();
  }

  #render(): void {
    const wanted = this.#filter.value.trim().toLocaleLowerCase();
    const shown = this.#rooms.filter((room) => room.name.toLocaleLowerCase().includes(wanted));
    this.#list.replaceChildren(...shown.map(roomItem));
    this.#empty.hidden = shown.length > 0;
    this.#empty.textContent =
      this.#rooms.length === 0 ? 'No rooms yet: create one below.' : 'No room matches the filter.';
  }

  #join(room: RoomSummary, identity = this.identity()): void {
    if (identity === undefined) return;
    this.#error.textContent = '';
    if (identity.token === undefined) {
      localStorage.setItem(NICKNAME_KEY, identity.nickname);
      sessionStorage.removeItem(TOKEN_KEY);
    } else sessionStorage.setItem(TOKEN_KEY, identity.token);
    this.#onJoin(room, identity);
  }

  async #create(): Promise<void> {
    const name = this.#newRoom.value.trim();
    const identity = name === '' ? undefined : this.identity();
    if (identity === undefined) return;
    try {
      const room = await this.#apiFor(identity.token).findOrCreateRoom(name);
      this.#newRoom.value = '';
      this.#join(room, identity);
    } catch (error) {
      this.showError(`Could not create the room: ${messageOf(error)}`);
    }
  }
}

function roomItem(room: RoomSummary): HTMLLIElement {
  const people = `${room.participants} ${room.participants === 1 ? 'person' : 'people'}`;
  return element(
    'li',
    {},
    element('button', { text: room.name, attributes: { type: 'button', 'data-room': room.id } }),
    ' ',
    element('span', { className: 'count', text: people }),
  );
}

function messageOf(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
