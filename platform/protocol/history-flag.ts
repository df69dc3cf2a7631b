/**
 * The `history` query parameter of a join (`/chat/join`, `GET /chat/:id/events`): `0` or
 * `false` asks for no replay of recent messages, as a Chatty app that keeps its own history
 * wants; `1`, `true` or no parameter keep the default. Anything else is a mistake worth saying.
 * @returns whether to replay history, or undefined for a value that means neither
 */
export function parseHistoryFlag(value: unknown): boolean | undefined {
  if (value === undefined || value === null) return true;
  switch (value) {
    case '0':
    case 'false':
      return false;
    case '1':
    case 'true':
      return true;
    default:
      return undefined;
  }
}

/** What a refused `history` value is told. */
export const HISTORY_FLAG_PROBLEM = 'the "history" query parameter is 0, 1, false or true';
