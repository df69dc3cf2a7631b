import type { Gap } from '../core/conversation.js';
import type { ConnectionStatus, RoomClientEnd } from '../core/room-client.js';
import type { Style } from './style.js';

/**
 * The connection's state, always shown: `-- connected (websocket)`,
 * `-- disconnected (server_shutdown); reconnecting in 1.2 s (attempt 2)`.
 */
export function renderStatus(status: ConnectionStatus, style: Style): string {
  switch (status.state) {
    case 'connecting':
      return style.status(`-- connecting (${status.kind})…`);
    case 'connected':
      return style.status(`-- connected (${status.kind})`);
    case 'reconnecting':
      return style.status(reconnecting(status));
    case 'closed':
      return style.status(`-- closed${status.reason === undefined ? '' : ` (${status.reason})`}`);
  }
}

function reconnecting(status: ConnectionStatus): string {
  if (status.retryInMs === undefined) return `-- reconnecting (${status.kind})…`;
  const seconds = (status.retryInMs / 1000).toFixed(1);
  const reason = status.reason ?? 'disconnected';
  const why = reason === 'disconnected' ? '' : ` (${reason})`;
  return `-- disconnected${why}; reconnecting in ${seconds} s (attempt ${status.attempt})`;
}

/** Messages the server no longer keeps (retention), so no client can show them. */
export function renderMissing(gap: Gap, style: Style): string {
  const range = gap.after + 1 === gap.upTo ? `${gap.upTo}` : `${gap.after + 1}–${gap.upTo}`;
  return style.status(`-- messages ${range} are no longer kept by the server`);
}

/** Why the client stopped, when it was not our own leaving. */
export function renderEnd(end: RoomClientEnd, style: Style): string {
  return style.error(`! ${end.message} (${end.reason})`);
}
