import { sseChannels, webSocketChannels } from '../core/channel.js';
import { ParleyApi, type RoomSummary } from '../core/parley-api.js';
import type { RoomClientEnd } from '../core/room-client.js';
import { openBrowserSocket } from './browser-socket.js';
import { byId } from './dom.js';
import { type Identity, LobbyView } from './lobby-view.js';
import { RoomView } from './room-view.js';
import { StatusView } from './status-view.js';

/**
 * Parley's browser client, served at `/client/`: the lobby (rooms, nickname) and one room at a
 * time. The server is the one that served the page: its address is this page's, one level up,
 * so a path prefix added by a proxy is kept.
 */
function main(): void {
  const baseUrl = new URL('..', window.location.href).href;
  const apiFor = (token?: string): ParleyApi =>
    new ParleyApi(token === undefined ? { baseUrl } : { baseUrl, token });
  const reconnect = byId('reconnect', HTMLButtonElement);
  const status = new StatusView(byId('status', HTMLParagraphElement), reconnect);
  const lobbySection = byId('lobby', HTMLElement);
  const roomSection = byId('room', HTMLElement);

  const showLobby = (error = ''): void => {
    roomSection.hidden = true;
    lobbySection.hidden = false;
    status.idle();
    lobby.showError(error);
    history.replaceState(null, '', window.location.pathname);
    void lobby.refresh();
    lobby.focus();
  };

  const room = new RoomView([webSocketChannels(openBrowserSocket), sseChannels()], {
    status: (current) => status.show(current),
    entered: (roomId) => history.replaceState(null, '', `#${encodeURIComponent(roomId)}`),
    ended: (end: RoomClientEnd, wasConnected: boolean) => {
      if (end.reason === 'quit' || !wasConnected) {
        showLobby(end.reason === 'quit' ? '' : `Could not join: ${end.message}`);
      } else status.idle(`Disconnected: ${end.message}`);
    },
  });

  const enter = (chosen: RoomSummary, identity: Identity): void => {
    lobbySection.hidden = true;
    roomSection.hidden = false;
    history.replaceState(null, '', `#${encodeURIComponent(chosen.id)}`);
    room.join(chosen.id, chosen.name, identity.nickname, apiFor(identity.token));
  };
  const lobby = new LobbyView(apiFor, enter);
  reconnect.addEventListener('click', () => room.reconnectNow());

  // A reload (or a shared link) with a room in the address joins it again, as the saved nickname.
  const linked = decodeURIComponent(window.location.hash.slice(1));
  const identity = linked === '' ? undefined : lobby.identity();
  if (identity !== undefined) {
    enter({ id: linked, name: linked, participants: 0, created_at: '' }, identity);
  } else showLobby();
}

main();
