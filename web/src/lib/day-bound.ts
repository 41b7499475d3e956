// Date inputs (`YYYY-MM-DD`) as the instants the admin API's date filters take.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar day from a date input as an instant: the start of that day in the admin's own time
 * zone, or its last millisecond for an "until" bound (the server's bounds are inclusive).
 */
export function dayBound(day: string, edge: 'start' | 'end'): string | null {
  const match = DAY.exec(day);
  if (!match) return null;
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  const local =
    edge === 'start'
      ? new Date(year, month - 1, date, 0, 0, 0, 0)
      : new Date(year, month - 1, date, 23, 59, 59, 999);
  return Number.isNaN(local.getTime()) ? null : local.toISOString();
}
