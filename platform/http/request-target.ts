/**
 * The URL a request asks for, or undefined when its request target is not one: every path a
 * client can send is parsed here, once, so no malformed target (`//[`, `http://[`) reaches code
 * that would throw. Origin-form (`/chat?x`) and absolute-form (`http://host/chat`) are accepted.
 * @example requestTarget('/chat?name=Lobby')?.pathname // '/chat'
 */
export function requestTarget(raw: string | undefined): URL | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    return new URL(raw, 'http://localhost');
  } catch {
    return undefined;
  }
}
