import { useState } from 'react';

interface PagesState {
  key: string;
  /** Cursors of the pages before the current one (null: the first page). */
  before: (string | null)[];
  cursor: string | null;
}

const firstPage = (key: string): PagesState => ({ key, before: [], cursor: null });

/**
 * Keyset pagination with Previous/Next: the API only gives the next cursor, so the cursors of
 * the pages already seen are kept to go back. A new `resetKey` (other filters) starts over.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState(() => firstPage(resetKey));
  const current = state.key === resetKey ? state : firstPage(resetKey);
  if (state.key !== resetKey) setState(current);
  return {
    cursor: current.cursor,
    page: current.before.length + 1,
    hasPrevious: current.before.length > 0,
    next: (cursor: string) =>
      setState({ key: resetKey, before: [...current.before, current.cursor], cursor }),
    previous: () =>
      setState({
        key: resetKey,
        before: current.before.slice(0, -1),
        cursor: current.before.at(-1) ?? null,
      }),
    reset: () => setState(firstPage(resetKey)),
  };
}
