import type { Gap } from '../core/conversation.js';
import type { ChatMessage } from '../core/events.js';
import { clockTime, element } from './dom.js';
import type { Entry } from './event-entries.js';

/** Distance from the bottom (px) within which the log follows new lines. */
const FOLLOW_MARGIN = 48;

/**
 * The conversation as a list: messages (in the order the client core hands them over, which
 * is seq order, each once) and, between them, notices and command replies. Every text is set
 * with `textContent`: a message that looks like HTML is shown as it was typed, links included,
 * which are not made clickable.
 */
export class LogView {
  /** `scroller`: the scrolling `role=log` region; `list`: the list of lines inside it. */
  constructor(
    readonly scroller: HTMLElement,
    readonly list: HTMLOListElement,
  ) {}

  clear(): void {
    this.list.replaceChildren();
  }

  /** Adds live (or caught-up) messages at the bottom. */
  appendMessages(messages: readonly ChatMessage[], me: string): void {
    // One's own message is always scrolled to, even when reading further up.
    const mine = messages.some((message) => message.participant === me);
    this.#append(mine, ...messages.map((message) => messageItem(message, me)));
  }

  /**
   * Adds an older page at the top and shows its newest screenful, just above what was the top
   * of the conversation, so that asking for older messages visibly brings them.
   */
  prependMessages(messages: readonly ChatMessage[], me: string): void {
    const scroller = this.scroller;
    const before = scroller.scrollHeight;
    this.list.prepend(...messages.map((message) => messageItem(message, me)));
    const added = scroller.scrollHeight - before;
    scroller.scrollTop = Math.max(0, added - scroller.clientHeight);
  }

  appendEntry(entry: Entry): void {
    this.#append(false, entryItem(entry));
  }

  /** Messages the server no longer keeps (past its retention): said once, where they were. */
  appendMissing(gap: Gap): void {
    const count = gap.upTo - gap.after;
    this.appendEntry({
      kind: 'notice',
      text: `${count} earlier message${count === 1 ? ' is' : 's are'} no longer kept by the server`,
    });
  }

  /** Adds lines at the bottom, following them if the person was at the bottom (or `follow`). */
  #append(follow: boolean, ...items: HTMLLIElement[]): void {
    const scroller = this.scroller;
    const following =
      follow || scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= FOLLOW_MARGIN;
    this.list.append(...items);
    if (following) scroller.scrollTop = scroller.scrollHeight;
  }
}

function messageItem(message: ChatMessage, me: string): HTMLLIElement {
  const mine = message.participant === me;
  return element(
    'li',
    {
      className: mine ? 'message mine' : 'message',
      attributes: { 'data-seq': String(message.seq) },
    },
    element(
      'span',
      { className: 'meta' },
      element('span', { className: 'author', text: message.participant }),
      ' ',
      timeElement(message.sent_at),
    ),
    element('span', { className: 'text', text: message.text }),
  );
}

function entryItem(entry: Entry): HTMLLIElement {
  switch (entry.kind) {
    case 'reply':
      return element(
        'li',
        { className: 'reply' },
        element('span', { className: 'title', text: entry.title }),
        element('ul', {}, ...entry.items.map((item) => element('li', { text: item }))),
      );
    case 'private':
      return element(
        'li',
        { className: 'private' },
        element(
          'span',
          { className: 'meta' },
          element('span', { className: 'author', text: `${entry.from} to ${entry.to}` }),
          ' (private) ',
          timeElement(entry.at),
        ),
        element('span', { className: 'text', text: entry.text }),
      );
    default:
      return element('li', { className: entry.kind, text: entry.text });
  }
}

function timeElement(iso: unknown): HTMLTimeElement {
  return element('time', {
    text: clockTime(iso),
    attributes: typeof iso === 'string' ? { datetime: iso } : {},
  });
}
