/**
 * What one typed line sends: a command as it is; in one-to-one mode (`to`) any other line
 * becomes `/msg @to line` (the server finds `to` in whatever room they are). A blank line sends
 * nothing.
 * @example outgoing('hi', 'Ann') // '/msg @Ann hi'
 */
export function outgoing(line: string, to: string | undefined): string | undefined {
  if (line.trim() === '') return undefined;
  const command = line.startsWith('/') && !line.startsWith('//');
  if (to === undefined || command) return line;
  return `/msg @${to} ${line.startsWith('//') ? line.slice(1) : line}`;
}
