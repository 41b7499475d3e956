import { dictionary } from '@zxcvbn-ts/language-common';
import { checkPassword } from './passwords.ts';
import { createWordList, loadCommonPasswords } from './word-list.ts';

describe('the compact word list', () => {
  it('when built from words, then it finds exactly those words', () => {
    const words = ['', 'a', 'ab', 'abc', 'b', 'zz', 'é', 'e\u0301', '密码', 'pass word', 'a'];
    const list = createWordList(words);
    expect(list.size).toBe(new Set(words).size);
    for (const w of words) expect(list.has(w)).toBe(true);
    for (const w of ['aa', 'abcd', 'A', 'c', 'z', 'zzz', 'e', '密', 'password', ' '])
      expect(list.has(w)).toBe(false);
    expect(createWordList([]).has('')).toBe(false);
    // Lone surrogates have no UTF-8 form; they must not meet U+FFFD or each other.
    const odd = createWordList(['\ud800', 'x\ufffd', 'a']);
    expect([odd.has('\ud800'), odd.has('\udc00'), odd.has('\ufffd'), odd.has('x\ud800')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect(odd.has('x\ufffd')).toBe(true);
    const astral = ['\u{1F600}', '\uFFFF', '\uE000', 'z'];
    const sorted = createWordList(astral);
    for (const w of astral) expect(sorted.has(w)).toBe(true);
  });

  it('when it holds the common passwords, then it answers exactly as a Set of them does', () => {
    const reference = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
    const list = loadCommonPasswords();
    expect(list.size).toBe(reference.size);
    for (const word of reference) if (!list.has(word)) throw new Error(`missing: ${word}`);
    // Near misses of every listed word: one character more, one less, one changed.
    const wrong: string[] = [];
    for (const word of reference) {
      for (const probe of [`${word}x`, word.slice(1), `${word.slice(0, -1)}\u0000`])
        if (list.has(probe) !== reference.has(probe)) wrong.push(probe);
    }
    expect(wrong).toEqual([]);
  });

  it('when a common password is checked in any case, then the policy refuses it', () => {
    const policy = { minLength: 8, maxLength: 128 };
    expect(checkPassword('PassWord123', undefined, policy)).toContain('too_common');
    expect(checkPassword('baseball', undefined, policy)).toContain('too_common');
    expect(checkPassword('a quiet orchard at dusk', undefined, policy)).not.toContain('too_common');
  });
});
