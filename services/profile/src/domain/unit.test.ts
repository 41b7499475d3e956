import { csvCell, csvRow } from './csv.ts';
import { decodeCursor, encodeCursor, escapeRegex, parseSort } from './directory.ts';
import { containsMarkup, sniffImageType } from './image-sniff.ts';
import { isValidTimeZone } from './timezones.ts';
import { auditDetails } from './audit.ts';
import {
  defaultPreferences,
  toProfileView,
  toSummaryView,
  type ProfileDoc,
} from './profile-model.ts';
import { profileViewSchema, summaryViewSchema } from '../routes/schemas.ts';

describe('pure domain rules', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['plain', 'plain'],
  ])('when a CSV cell is %j, then it is written as %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('when a CSV row mixes types, then dates are ISO, nulls empty and the line ends in CRLF', () => {
    expect(csvRow([new Date('2025-01-02T03:04:05Z'), null, true, 3])).toBe(
      '2025-01-02T03:04:05.000Z,,true,3\r\n',
    );
  });

  it('when text is escaped for a regex, then every metacharacter is literal', () => {
    const special = '.*+?^${}()|[]\\';
    expect(new RegExp(`^${escapeRegex(special)}$`).test(special)).toBe(true);
    expect(new RegExp(escapeRegex('a.c')).test('abc')).toBe(false);
  });

  it('when a cursor round-trips, then it keeps its position and is tied to its sort', () => {
    const sort = parseSort('-createdAt');
    const position = { value: new Date('2025-01-01T00:00:00Z'), id: 'u1' };
    expect(decodeCursor(encodeCursor(sort, position), sort)).toEqual(position);
    expect(() => decodeCursor(encodeCursor(sort, position), parseSort('createdAt'))).toThrow();
    expect(() =>
      decodeCursor(
        encodeCursor(parseSort('email'), { value: 'a', id: 'u' }),
        parseSort('-createdAt'),
      ),
    ).toThrow();
  });

  it('when bytes are sniffed, then images are known by their magic numbers and markup is found anywhere', () => {
    expect(sniffImageType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'png',
    );
    expect(sniffImageType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffImageType(Buffer.from('GIF89a...'))).toBe('gif');
    expect(sniffImageType(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('webp');
    expect(
      sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')),
    ).toBeUndefined();
    expect(containsMarkup(Buffer.concat([Buffer.alloc(1000), Buffer.from('<ScRiPt>')]))).toBe(true);
    expect(containsMarkup(Buffer.from('<svg/onload=alert(1)>'))).toBe(true);
    expect(containsMarkup(Buffer.from('<?xpacket begin="" id="W5M0"?><x:xmpmeta>'))).toBe(false);
  });

  it('when time zones are checked, then IANA names and aliases pass and the rest fails', () => {
    for (const tz of ['UTC', 'Europe/Paris', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata'])
      expect(isValidTimeZone(tz)).toBe(true);
    for (const tz of ['Mars/Base', '+01:00', 'GMT+1', 'Europe/../etc', ''])
      expect(isValidTimeZone(tz)).toBe(false);
  });

  it('when event data becomes audit details, then secrets, profile fields and unsafe keys are dropped', () => {
    expect(
      auditDetails({
        user: {
          id: 'u',
          email: 'e@x',
          firstName: 'F',
          role: 'admin',
          status: 'active',
          emailVerified: true,
          mfaEnabled: false,
        },
        newPassword: 'x',
        tokenId: 't',
        ['__proto__']: { polluted: true },
        deep: { a: { b: { c: { d: { e: { f: 1 } } } } } },
        reason: 'r',
      }),
    ).toEqual({
      user: { role: 'admin', status: 'active', emailVerified: true, mfaEnabled: false },
      deep: { a: { b: { c: { d: '[truncated]' } } } },
      reason: 'r',
    });
  });

  it('when a stored profile lacks optional fields, then its views give null for each, as the schema requires', () => {
    const sparse = {
      _id: 'u1',
      emailVerified: false,
      mfaEnabled: false,
      preferences: defaultPreferences,
      avatar: null,
      createdAt: new Date(0),
      updatedAt: new Date(0),
    } as unknown as ProfileDoc;
    // The documented schemas mark these fields nullable, not optional: absent must read as null.
    expect(profileViewSchema.parse(toProfileView(sparse))).toMatchObject({
      bio: null,
      email: null,
    });
    expect(summaryViewSchema.parse(toSummaryView(sparse))).toMatchObject({ lastName: null });
  });
});
