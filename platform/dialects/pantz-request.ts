/**
 * One chattypantz request, decoded as its Go server did (`websocket.JSON.Receive` into
 * `ChatRequest`, composer22/chattypantz@6c94499 server/chat_request.go): keys matched without
 * regard to ASCII case (its browser pages send `reqtype`), missing fields zero, unknown keys
 * ignored, JSON `null` anywhere a zero.
 */
export interface PantzRequest {
  readonly roomName: string;
  readonly reqType: number;
  readonly content: string;
}

/** Why a frame is not a request: not JSON at all, or JSON of the wrong shape. */
export type PantzFrameProblem = 'invalid_json' | 'invalid_request';

/** A decoded request, or why the frame is not one (the connection is then closed). */
export type PantzDecoded =
  | { readonly ok: true; readonly request: PantzRequest }
  | { readonly ok: false; readonly problem: PantzFrameProblem; readonly message: string };

const FIELDS = ['roomname', 'reqtype', 'content'] as const;

/** Decodes one frame's text. Never throws. */
export function decodePantzRequest(text: string): PantzDecoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return problem('invalid_json', 'a request is one JSON object per frame');
  }
  if (value === null) return { ok: true, request: { roomName: '', reqType: 0, content: '' } };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return problem('invalid_request', 'a request is a JSON object');
  }
  const fields = pickFields(value as Record<string, unknown>);
  return toRequest(fields, integerLiteral(text));
}

function pickFields(object: Record<string, unknown>): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  for (const [key, value] of Object.entries(object)) {
    const field = asciiLower(key);
    if ((FIELDS as readonly string[]).includes(field)) fields.set(field, value);
  }
  return fields;
}

function toRequest(fields: Map<string, unknown>, reqTypeIsInteger: boolean): PantzDecoded {
  const roomName = fields.get('roomname') ?? '';
  const content = fields.get('content') ?? '';
  const reqType = fields.get('reqtype') ?? 0;
  if (typeof roomName !== 'string' || typeof content !== 'string') {
    return problem('invalid_request', '"roomName" and "content" must be strings');
  }
  if (typeof reqType !== 'number' || !Number.isSafeInteger(reqType) || !reqTypeIsInteger) {
    return problem('invalid_request', '"reqType" must be an integer');
  }
  return { ok: true, request: { roomName, reqType, content } };
}

/**
 * False when the last top-level `reqType` key (any case) holds a number written with a fraction
 * or an exponent (`101.0`, `1e2`): Go refuses those for an int, though JSON.parse reads them as
 * integers. The text is valid JSON (already parsed), so a light scan suffices.
 */
function integerLiteral(text: string): boolean {
  const literal = /"(?:[^"\\]|\\.)*"|[{}[\]]|-?\d[\d.eE+-]*/g;
  let depth = 0;
  let lastKeyIsReqType = false;
  let integer = true;
  for (const [token] of text.matchAll(literal)) {
    if (token === '{' || token === '[') depth++;
    else if (token === '}' || token === ']') depth--;
    else if (token.startsWith('"')) lastKeyIsReqType = depth === 1 && isReqTypeKey(token);
    else if (depth === 1 && lastKeyIsReqType) integer = /^-?\d+$/.test(token);
  }
  return integer;
}

function isReqTypeKey(token: string): boolean {
  try {
    return asciiLower(JSON.parse(token) as string) === 'reqtype';
  } catch {
    return false;
  }
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
}

function problem(kind: PantzFrameProblem, message: string): PantzDecoded {
  return { ok: false, problem: kind, message };
}
