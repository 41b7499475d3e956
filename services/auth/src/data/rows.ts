/** The single row an INSERT ... RETURNING or a key lookup must produce; its absence is a bug. */
export function onlyRow<T>(rows: readonly T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected a row, got none');
  return row;
}
