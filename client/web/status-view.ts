import type { ConnectionStatus } from '../core/room-client.js';

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
  constructor(readonly target: HTMLElement) {}

  show(status: ConnectionStatus): void {
    this.target.dataset.state = status.state;
    this.target.dataset.kind = status.kind;
    this.target.textContent = describe(status);
  }

  /** Not in a room: nothing is connected. */
  idle(text = 'Not connected: choose a room'): void {
    this.target.dataset.state = 'idle';
    delete this.target.dataset.kind;
    this.target.textContent = text;
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
