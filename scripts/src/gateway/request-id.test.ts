import { resolveRequestId } from './request-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('resolveRequestId', () => {
  test.each(['abcd1234', 'req_2024-01-01.abc', 'A'.repeat(128)])(
    'when the incoming id is %s, then it is kept',
    (id) => {
      expect(resolveRequestId(id)).toBe(id);
    },
  );

  test.each([
    ['too short', 'abc1234'],
    ['too long', 'A'.repeat(129)],
    ['with spaces', 'abc 12345'],
    ['with a newline', 'abcdefgh\nX-Injected: 1'],
    ['with a slash', 'abcd/1234'],
    ['empty', ''],
  ])('when the incoming id is %s, then a new UUID replaces it', (_label, id) => {
    const resolved = resolveRequestId(id);
    expect(resolved).not.toBe(id);
    expect(resolved).toMatch(UUID);
  });

  test('when there is no id or several, then a new UUID is generated each time', () => {
    const first = resolveRequestId(undefined);
    expect(first).toMatch(UUID);
    expect(resolveRequestId(['abcd1234', 'efgh5678'])).toMatch(UUID);
    expect(resolveRequestId(undefined)).not.toBe(first);
  });
});
