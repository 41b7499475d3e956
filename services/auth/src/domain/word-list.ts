import { createRequire } from 'node:module';

/**
 * A read-only set of words in two flat allocations: every word's UTF-8 bytes back to back, in
 * byte order and without duplicates, and where each one starts. Membership is a binary search.
 * A `Set` of the ~49,000 common passwords costs megabytes of string and table headers; this is
 * about the size of the text.
 */
export interface WordList {
  readonly size: number;
  has(word: string): boolean;
}

/** UTF-8 byte order is code point order (UTF-16 code unit order is not, past U+FFFF). */
function byCodePoint(a: string, b: string): number {
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(j) ?? 0;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return Buffer.byteLength(a) - Buffer.byteLength(b);
}

export function createWordList(words: Iterable<string>): WordList {
  const unique = new Set(words);
  // UTF-8 has no lone surrogates (they would all encode as U+FFFD): such words, if any, stay apart.
  const malformed = new Set([...unique].filter((w) => !w.isWellFormed()));
  const sorted = [...unique].filter((w) => w.isWellFormed()).sort(byCodePoint);
  unique.clear();
  // One allocation for the text; starts[i] .. starts[i + 1] is word i.
  const bytes = Buffer.from(sorted.join(''), 'utf8');
  const starts = new Uint32Array(sorted.length + 1);
  for (let i = 0, at = 0; i < sorted.length; i++) {
    starts[i] = at;
    at += Buffer.byteLength(sorted[i] ?? '');
  }
  starts[sorted.length] = bytes.length;
  const count = sorted.length; // the closure must not keep `sorted` alive

  return {
    size: count + malformed.size,
    has(word) {
      if (!word.isWellFormed()) return malformed.has(word);
      const target = Buffer.from(word, 'utf8');
      let low = 0;
      let high = count - 1;
      while (low <= high) {
        const mid = (low + high) >>> 1;
        const order = bytes.compare(target, 0, target.length, starts[mid], starts[mid + 1]);
        if (order === 0) return true;
        if (order < 0) low = mid + 1;
        else high = mid - 1;
      }
      return false;
    },
  };
}

/**
 * zxcvbn-ts' list of ~49,000 common passwords, lower-cased. Loaded through its CommonJS build and
 * dropped from the module cache again, so only the compact list stays in memory (the package's
 * ES module would keep the whole dictionary, diceware list included, alive for good).
 */
export function loadCommonPasswords(): WordList {
  const require = createRequire(import.meta.url);
  const id = require.resolve('@zxcvbn-ts/language-common/dist/passwords.json.cjs');
  try {
    const words: unknown = require(id);
    if (!Array.isArray(words) || words.some((w) => typeof w !== 'string'))
      throw new Error('@zxcvbn-ts/language-common: the password list is not a list of strings');
    return createWordList((words as string[]).map((w) => w.toLowerCase()));
  } finally {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- a cache entry, by its key
    delete require.cache[id];
  }
}
