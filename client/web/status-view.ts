import type { ConnectionStatus } from '../core/room-client.js';
import { byId } from './dom.js';

const KINDS: Readonly<Record<string, string>> = {
  websocket: 'WebSocket',
  sse: 'Server-Sent Events',
};

/**
 * The connection line at the top of the page (a `role=status` live region, so screen readers
 * hear changes without losing their place). `data-state` and `data-kind` carry the same
 * for styling and for tests.
 */
export class StatusView {
  /**
   * `reconnect`: the "Reconnect now" button, shown while a reconnect waits out its delay (the
   * button is outside the live region: a control inside it would be read out with each change).
   */
  constructor(
    readonly target: HTMLElement,
    readonly reconnect: HTMLButtonElement,
  ) {}

  show(status: ConnectionStatus): void {
    this.target.dataset.state = status.state;
    this.target.dataset.kind = status.kind;
    this.target.textContent = describe(status);
    this.#showReconnect(status.state === 'reconnecting' && status.retryInMs !== undefined);
  }

  /** Not in a room: nothing is connected. */
  idle(text = 'Not connected: choose a room'): void {
    this.target.dataset.state = 'idle';
    delete this.target.dataset.kind;
    this.target.textContent = text;
    this.#showReconnect(false);
  }

  #showReconnect(shown: boolean): void {
    // Hiding the focused button would drop the focus to the page: it goes to the message box.
    if (!shown && document.activeElement === this.reconnect)
      byId('message', HTMLInputElement).focus();
    this.reconnect.hidden = !shown;
  }
}

function describe(status: ConnectionStatus): string {
  const kind = KINDS[status.kind] ?? status.kind;
  switch (status.state) {
    case 'connecting':
      return `Connecting (${kind})…`;
    case 'connected':
      return `Connected (${kind})`;
    case 'reconnecting': {
      const why = status.reason === undefined ? '' : ` (${status.reason})`;
      if (status.retryInMs === undefined) return `Connection lost${why}: reconnecting (${kind})…`;
      const seconds = Math.max(1, Math.round(status.retryInMs / 1000));
      return `Connection lost${why}: reconnecting in ${seconds} s, attempt ${status.attempt}`;
    }
    case 'closed':
      return status.reason === 'quit' ? 'Not connected' : `Disconnected (${status.reason ?? ''})`;
  }
}
