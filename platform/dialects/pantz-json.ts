/**
 * chattypantz's responses as its Go server wrote them (`json.Marshal` of `ChatResponse`,
 * composer22/chattypantz@6c94499 server/chat_response.go): keys in this order, `list` never
 * null, and Go's escaping, which its clients' byte-for-byte test compares.
 */
export interface PantzResponse {
  readonly roomName: string;
  readonly rspType: number;
  readonly content: string;
  readonly list: readonly string[];
}

/**
 * Encodes a response exactly as Go's encoding/json does (before Go 1.22): `<`, `>` and `&` as
 * \u003c, \u003e, \u0026; U+2028 and U+2029 escaped; control characters other than \n, \r and
 * \t as \u00XX.
 * @example encodePantz({ roomName: '', rspType: 102, content: 'a<b', list: [] })
 *   // '{"roomName":"","rspType":102,"content":"a\u003cb","list":[]}'
 */
export function encodePantz(response: PantzResponse): string {
  const list = response.list.map(goString).join(',');
  return (
    `{"roomName":${goString(response.roomName)},"rspType":${response.rspType},` +
    `"content":${goString(response.content)},"list":[${list}]}`
  );
}

const GO_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
  '\\b': '\\u0008',
  '\\f': '\\u000c',
};

/**
 * A JSON string literal as Go writes it. Escape sequences are matched whole, left to right, so
 * the `b` after an escaped backslash (`\\b`) is never taken for a backspace.
 */
export function goString(text: string): string {
  return JSON.stringify(text).replace(
    /[<>&\u2028\u2029]|\\./g,
    (match) => GO_ESCAPES[match] ?? match,
  );
}
