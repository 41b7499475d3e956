import { ConfigError } from '@ums/service-kit/config';
import { AppError } from '@ums/service-kit/errors';
import { parseOidcProviders, resolveReturnTo } from './oidc-config.ts';
import { openWithState, sealWithState } from './oidc.ts';

const provider = {
  id: 'corp',
  name: 'Corporate SSO',
  issuer: 'https://sso.example.com',
  clientId: 'ums',
  clientSecret: 'super-secret-value-123',
};

function configProblems(raw: string, production = false): readonly string[] {
  try {
    parseOidcProviders(raw, { production });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('OIDC_PROVIDERS parsing', () => {
  it('when the JSON is valid, then providers come back with default scopes that include openid', () => {
    const [parsed] = parseOidcProviders(JSON.stringify([provider]), { production: true });
    expect(parsed).toMatchObject({ id: 'corp', scopes: ['openid', 'email', 'profile'] });
    const [custom] = parseOidcProviders(JSON.stringify([{ ...provider, scopes: ['email'] }]), {
      production: false,
    });
    expect(custom?.scopes).toEqual(['openid', 'email']);
  });

  it('when the value is not JSON, then a readable config error names the variable', () => {
    expect(configProblems('[{id: corp')).toEqual([
      'OIDC_PROVIDERS: must be a JSON array of { id, name, issuer, clientId, clientSecret, scopes? }',
    ]);
  });

  it('when fields are wrong or missing, then each problem names its path and never the secret', () => {
    const problems = configProblems(
      JSON.stringify([{ ...provider, issuer: 'not a url', clientSecret: undefined, extra: 1 }]),
    );
    expect(problems.join('\n')).toMatch(/OIDC_PROVIDERS\[0\]\.issuer/);
    expect(problems.join('\n')).toMatch(/OIDC_PROVIDERS\[0\]\.clientSecret/);
    expect(problems.join('\n')).toMatch(/extra/);
    expect(configProblems(JSON.stringify([{ ...provider, id: 'Bad Id!' }])).join()).toMatch(
      /\[0\]\.id/,
    );
    expect(configProblems(JSON.stringify([provider, { ...provider, name: 'x' }]))).toEqual([
      'OIDC_PROVIDERS: provider ids must be unique',
    ]);
    expect(configProblems(JSON.stringify({ provider }))).toHaveLength(1);
    expect(configProblems(JSON.stringify([{ ...provider, clientSecret: 3 }])).join()).not.toContain(
      'super-secret',
    );
  });

  it('when an issuer is plain http in production, then the config is refused', () => {
    const raw = JSON.stringify([{ ...provider, issuer: 'http://sso.example.com' }]);
    expect(configProblems(raw, true)).toEqual([
      'OIDC_PROVIDERS: issuers must use https in production',
    ]);
    expect(parseOidcProviders(raw, { production: false })).toHaveLength(1);
  });
});

describe('returnTo allowlist', () => {
  const policy = {
    publicBaseUrl: 'https://app.example.com',
    allowlist: ['https://admin.example.com', 'https://docs.example.com/guide/'],
  };
  const refused = (value: string) => {
    try {
      resolveReturnTo(value, policy);
    } catch (error) {
      return error instanceof AppError && error.code === 'auth.oidc_invalid_return_to';
    }
    return false;
  };

  it.each([
    [undefined, 'https://app.example.com/'],
    ['', 'https://app.example.com/'],
    ['/', 'https://app.example.com/'],
    ['/a/../b?x=1', 'https://app.example.com/b?x=1'],
    ['https://app.example.com/deep/link', 'https://app.example.com/deep/link'],
    ['https://admin.example.com/users/1', 'https://admin.example.com/users/1'],
    ['https://docs.example.com/guide/', 'https://docs.example.com/guide/'],
    ['https://docs.example.com/guide/oidc', 'https://docs.example.com/guide/oidc'],
    // Percent-encoded CR/LF stays encoded inside the path: harmless.
    ['/%0d%0aSet-Cookie:x', 'https://app.example.com/%0d%0aSet-Cookie:x'],
  ])('when returnTo is %s, then it resolves to %s', (value, expected) => {
    expect(resolveReturnTo(value, policy)).toBe(expected);
  });

  it.each([
    'https://evil.example.com',
    '//evil.example.com',
    '///evil.example.com',
    '/\\evil.example.com',
    '\\\\evil.example.com',
    '/\nLocation: https://evil.example.com',
    'https://app.example.com@evil.example.com/',
    'https://app.example.com.evil.example.com/',
    'https://docs.example.com/guidebook',
    'https://docs.example.com/other',
    'http://app.example.com/',
    'https://app.example.com:8443/',
    'data:text/html,<script>alert(1)</script>',
    'javascript:alert(1)',
    'relative/path',
    `/${'a'.repeat(2048)}`,
  ])('when returnTo is %s, then it is refused', (value) => {
    expect(refused(value)).toBe(true);
  });
});

describe('login state sealing', () => {
  it('when sealed under a state, then only that state opens it', () => {
    const sealed = sealWithState('state-one', 'the-code-verifier');
    expect(sealed).not.toContain('the-code-verifier');
    expect(openWithState('state-one', sealed)).toBe('the-code-verifier');
    expect(() => openWithState('state-two', sealed)).toThrow();
  });
});
