import { sseChannels, webSocketChannels } from '../core/channel.js';
import type { ServerEvent } from '../core/events.js';
import { ParleyApi } from '../core/parley-api.js';
import { RoomClient, type RoomClientEnd } from '../core/room-client.js';
import { openNodeSocket } from '../node/ws-socket.js';
import type { Chat } from './chat.js';
import type { ChatView } from './chat-view.js';
import { outgoing } from './outgoing.js';

/** Where and as whom a room chat joins. */
export interface RoomChatOptions {
  readonly url: string;
  readonly room: string;
  readonly name: string;
  readonly to?: string;
  readonly token?: string;
}

/**
 * A chat over Parley's JSON protocol, through the client core's `RoomClient`: it finds or
 * creates the room, joins over WebSocket (SSE when WebSocket cannot connect), and keeps the
 * person in the room across dropped connections with no duplicate and no gap.
 * @throws ApiError when the room cannot be found or created (server unreachable, refused).
 */
export async function openRoomChat(
  options: RoomChatOptions,
  view: ChatView,
  changed: () => void,
): Promise<Chat> {
  const api = new ParleyApi({
    baseUrl: options.url,
    ...(options.token === undefined ? {} : { token: options.token }),
  });
  const room = await api.findOrCreateRoom(options.room);
  let roomName = room.name;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  const client: RoomClient = new RoomClient({
    api,
    roomId: room.id,
    name: options.name,
    channels: [webSocketChannels(openNodeSocket), sseChannels()],
    // One-to-one mode shows no room traffic: the room's replayed history is not asked for.
    replay: options.to === undefined,
    listener: {
      status: (status) => view.status(status),
      messages: (messages) => view.messages(messages),
      missing: (gap) => view.missing(gap),
      event: (event) => {
        view.event(event);
        if (movedOrRenamed(event)) {
          if (event.event_type === 'joined_room' && typeof event.name === 'string')
            roomName = event.name;
          changed();
        }
      },
      ended: (end) => finish(exitCode(end, view)),
    },
  });
  client.start();
  return {
    send: (line) => {
      const text = outgoing(line, options.to);
      if (text !== undefined) client.send(text);
    },
    endOfInput: () => client.send('/quit'),
    leave: () => client.leave(),
    identity: () => ({ room: roomName, name: client.name }),
    finished,
  };
}

function movedOrRenamed(event: ServerEvent): boolean {
  return event.event_type === 'joined_room' || event.event_type === 'participant_renamed';
}

/** 0 after our own leaving; otherwise the server ended the chat for good: say why, and 1. */
function exitCode(end: RoomClientEnd, view: ChatView): number {
  if (end.reason === 'quit') return 0;
  view.notice(`${end.message} (${end.reason})`);
  return 1;
}
