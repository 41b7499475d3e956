// A set whose entries are forgotten after a while: remembers facts that are cheap to re-check
// later but wasteful to re-check on every reconcile.
export class TtlSet {
  readonly #ttlMs: number;
  readonly #entries = new Map<string, number>();

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  has(key: string): boolean {
    const expires = this.#entries.get(key);
    if (expires === undefined) return false;
    if (expires > Date.now()) return true;
    this.#entries.delete(key);
    return false;
  }

  add(key: string): void {
    this.#entries.set(key, Date.now() + this.#ttlMs);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
