/**
 * When a message was sent, as a person reads it in a scrolling terminal: `HH:MM` local time
 * today, and the date before it for an older message (a replayed history).
 */
export function clockTime(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '--:--';
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const today = at.toDateString() === now.toDateString();
  return today
    ? time
    : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
