import { redactUrl } from './redact-url.ts';

describe('redactUrl', () => {
  it('when a URL carries a password, then only the password is hidden', () => {
    expect(redactUrl('postgres://ums:s3cret-value@127.0.0.1:55432/ums')).toBe(
      'postgres://ums:***@127.0.0.1:55432/ums',
    );
    expect(redactUrl('redis://:s3cret@127.0.0.1:56379/0')).toBe('redis://:***@127.0.0.1:56379/0');
  });

  it('when there is no URL or it cannot be parsed, then nothing of it is printed', () => {
    expect(redactUrl(undefined)).toBe('(not configured)');
    expect(redactUrl('not a url with s3cret')).toBe('(unparseable URL)');
  });
});
