import type { ServerEvent } from '../core/events.js';
import { byId, element } from './dom.js';
import { Presence } from './presence.js';

/**
 * The people in the room, live. Each other person is a button: choosing it starts a private
 * message to them (`/msg @name`) in the message box.
 */
export class PeopleView {
  readonly #presence = new Presence();
  readonly #list = byId('people', HTMLUListElement);
  readonly #count = byId('people-count', HTMLElement);

  constructor(readonly onChoose: (name: string) => void) {
    this.#list.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest('button[data-name]');
      const name = button?.getAttribute('data-name');
      if (name) onChoose(name);
    });
  }

  clear(): void {
    this.#presence.clear();
    this.#render('');
  }

  apply(event: ServerEvent, me: string): void {
    if (this.#presence.apply(event)) this.#render(me);
  }

  #render(me: string): void {
    const names = this.#presence.names;
    this.#count.textContent = String(names.length);
    this.#list.replaceChildren(
      ...names.map((name) =>
        name === me
          ? element('li', { className: 'me', text: `${name} (you)` })
          : element(
              'li',
              {},
              element('button', {
                text: name,
                attributes: {
                  type: 'button',
                  'data-name': name,
                  'aria-label': `Private message to ${name}`,
                  title: `Private message to ${name}`,
                },
              }),
            ),
      ),
    );
  }
}
