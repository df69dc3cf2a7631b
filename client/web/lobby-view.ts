import { ApiError, type ParleyApi, type RoomSummary } from '../core/parley-api.js';
import { byId, element } from './dom.js';

const NICKNAME_KEY = 'parley.nickname';

/**
 * The first page: a nickname, the rooms (filtered as the person types), and a box to create a
 * room. Choosing a room hands it, with the nickname, to `onJoin`.
 */
export class LobbyView {
  readonly #api: ParleyApi;
  readonly #onJoin: (room: RoomSummary, nickname: string) => void;
  readonly #nickname = byId('nickname', HTMLInputElement);
  readonly #filter = byId('room-filter', HTMLInputElement);
  readonly #list = byId('room-list', HTMLUListElement);
  readonly #empty = byId('rooms-empty', HTMLParagraphElement);
  readonly #error = byId('lobby-error', HTMLParagraphElement);
  readonly #newRoom = byId('new-room', HTMLInputElement);
  #rooms: RoomSummary[] = [];

  constructor(api: ParleyApi, onJoin: (room: RoomSummary, nickname: string) => void) {
    this.#api = api;
    this.#onJoin = onJoin;
    this.#nickname.value = localStorage.getItem(NICKNAME_KEY) ?? '';
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

  /** Reads the rooms again (every page of them). */
  async refresh(): Promise<void> {
    try {
      this.#rooms = await this.#api.allRooms();
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

  #join(room: RoomSummary): void {
    if (!this.#hasNickname()) return;
    this.#error.textContent = '';
    localStorage.setItem(NICKNAME_KEY, this.nickname);
    this.#onJoin(room, this.nickname);
  }

  #hasNickname(): boolean {
    if (this.nickname !== '') return true;
    this.showError('Choose a nickname first.');
    this.#nickname.focus();
    return false;
  }

  async #create(): Promise<void> {
    const name = this.#newRoom.value.trim();
    if (name === '' || !this.#hasNickname()) return;
    try {
      const room = await this.#api.findOrCreateRoom(name);
      this.#newRoom.value = '';
      this.#join(room);
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
