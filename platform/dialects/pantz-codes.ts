/**
 * chattypantz's request and response numbers (composer22/chattypantz@6c94499
 * server/chat_request.go and chat_response.go). A response to a request has the request's
 * number; errors are 1001–1008.
 */
export const PantzType = {
  setNickname: 101,
  getNickname: 102,
  listRooms: 103,
  join: 104,
  listNames: 105,
  hide: 106,
  unhide: 107,
  msg: 108,
  leave: 109,
  roomMandatory: 1001,
  maxRoomsReached: 1002,
  roomUnavailable: 1003,
  nicknameMandatory: 1004,
  alreadyJoined: 1005,
  nicknameUsed: 1006,
  hiddenNickname: 1007,
  unknownRequest: 1008,
} as const;

/** The texts of chattypantz's answers, word for word (its clients show them as they are). */
export const PantzText = {
  nicknameSet: (nickname: string): string => `Nickname set to "${nickname}".`,
  joined: (nickname: string): string => `${nickname} has joined the room.`,
  left: (nickname: string): string => `${nickname} has left the room.`,
  youLeft: (room: string): string => `You have left room "${room}".`,
  hidden: (room: string): string => `You are now hidden in room "${room}".`,
  unhidden: (room: string): string => `You are now unhidden in room "${room}".`,
  said: (nickname: string, text: string): string => `${nickname}: ${text}`,
  roomMandatory: 'room name is mandatory to access a room',
  maxRoomsReached: 'maximum number of rooms reached',
  roomUnavailable: 'room has been closed',
  nicknameMandatory: 'nickname cannot be blank',
  alreadyJoined: (room: string): string => `You are already a member of room "${room}".`,
  nicknameUsed: (nickname: string, room: string): string =>
    `Nickname "${nickname}" is already in use in room "${room}".`,
  hiddenNickname: (nickname: string, room: string): string =>
    `Nickname "${nickname}" is hidden. Cannot post in room "${room}".`,
  unknownRequest: (room: string): string => `Unknown request sent to room "${room}".`,
  /** Parley's own: chattypantz broadcast a non-member's message; Parley has no such sender. */
  notMember: (room: string): string => `You are not a member of room "${room}".`,
} as const;
