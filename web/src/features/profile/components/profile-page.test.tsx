import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../../../i18n/i18n.ts';
import { session } from '../../../lib/session/session-manager.ts';
import { bearerOf, json, mockFetch, type Call } from '../../../test/fetch-mock.ts';
import { renderApp } from '../../../test/render-app.tsx';
import { must, signInForTest, stubObjectUrls, testProfile } from '../../../test/signed-in.ts';

const bodyOf = (call: Call | undefined) => JSON.parse(String(call?.init.body)) as unknown;
const patches = (calls: Call[]) =>
  calls.filter((c) => c.url === '/api/v1/users/me' && c.init.method === 'PATCH');
let objectUrls: ReturnType<typeof stubObjectUrls>;

beforeAll(async () => {
  await initI18n('en');
});

afterEach(() => {
  session.clear();
  vi.unstubAllGlobals();
  objectUrls.restore();
});

function setup(route: (call: Call) => Response | undefined = () => undefined) {
  objectUrls = stubObjectUrls();
  let profile = testProfile({ jobTitle: 'Analyst' });
  const calls = mockFetch((call) => {
    const answer = route(call);
    if (answer) return answer;
    if (call.url === '/api/v1/users/me' && call.init.method === 'PATCH') {
      profile = { ...profile, ...(bodyOf(call) as object) };
      return json(200, profile);
    }
    if (call.url === '/api/v1/users/me') return json(200, profile);
    return json(404, { code: 'http.not_found' });
  });
  signInForTest();
  renderApp('/profile');
  return calls;
}

describe('ProfilePage', () => {
  it('when the form is saved, then every field is sent (empty ones as null) and success is announced', async () => {
    const calls = setup();
    const ui = userEvent.setup();

    const heading = await screen.findByRole('heading', { level: 1, name: 'Your profile' });
    await waitFor(() => expect(heading).toHaveFocus());
    expect(await screen.findByLabelText('Job title')).toHaveValue('Analyst');
    await ui.type(screen.getByLabelText('Display name'), 'Countess');
    await ui.type(screen.getByLabelText('Website'), 'https://ada.example');
    await ui.clear(screen.getByLabelText('Job title'));
    await ui.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Your profile was saved.')).toHaveAttribute('role', 'status');
    const [patch] = patches(calls);
    expect(bearerOf(must(patch))).toBe('Bearer at-1');
    expect(bodyOf(patch)).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      displayName: 'Countess',
      bio: null,
      phone: null,
      location: null,
      website: 'https://ada.example',
      jobTitle: null,
      company: null,
    });
  });

  it('when fields break the server rules, then each says why and nothing is sent', async () => {
    const calls = setup();
    const ui = userEvent.setup();

    await ui.type(await screen.findByLabelText('Website'), 'ftp://ada.example');
    await ui.type(screen.getByLabelText('Phone'), 'call me');
    await ui.type(screen.getByLabelText('Company'), 'x'.repeat(101));
    await ui.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(
      await screen.findByText('Enter a web address starting with http:// or https://.'),
    ).toBeInTheDocument();
    expect(screen.getByText(/Enter a phone number/)).toBeInTheDocument();
    expect(screen.getByText('Use at most 100 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Website')).toHaveAttribute('aria-invalid', 'true');
    expect(patches(calls)).toHaveLength(0);
  });

  it('when the server refuses a field, then its error is shown on that field', async () => {
    setup((call) =>
      call.init.method === 'PATCH'
        ? json(400, {
            code: 'request.validation_failed',
            errors: [{ path: 'phone', code: 'invalid_format', message: 'must be a phone number' }],
          })
        : undefined,
    );
    const ui = userEvent.setup();

    await ui.type(await screen.findByLabelText('Phone'), '+44 20 7946 0000');
    await ui.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Some fields are invalid.');
    const phone = screen.getByLabelText('Phone');
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(phone).toHaveAccessibleDescription(/Enter a phone number/);
  });
});

describe('AvatarSection', () => {
  it('when an image is picked, then it is previewed, uploaded in the "avatar" field and the served avatar replaces it', async () => {
    const calls = setup((call) => {
      if (call.url === '/api/v1/users/me/avatar' && call.init.method === 'PUT') {
        return json(200, { avatarUrl: '/api/v1/users/u1/avatar?v=abc' });
      }
      if (call.url === '/api/v1/users/u1/avatar?v=abc') {
        return new Response('webp-bytes', { headers: { 'Content-Type': 'image/webp' } });
      }
      return undefined;
    });
    const ui = userEvent.setup();
    const file = new File(['png-bytes'], 'me.png', { type: 'image/png' });

    expect(await screen.findByRole('img', { name: 'No photo yet' })).toBeInTheDocument();
    await ui.upload(screen.getByLabelText('Choose a photo'), file);

    const preview = await screen.findByRole('img', { name: 'Preview of your new photo' });
    const previewUrl = preview.getAttribute('src') ?? '';
    expect(objectUrls.blobs.get(previewUrl)).toBe(file);
    expect(calls.filter((c) => c.url.includes('avatar'))).toHaveLength(0);

    await ui.click(screen.getByRole('button', { name: 'Upload photo' }));

    const served = await screen.findByRole('img', { name: 'Your photo' });
    expect(await screen.findByText('Your new photo was saved.')).toBeInTheDocument();
    const upload = calls.find((c) => c.init.method === 'PUT');
    expect(bearerOf(must(upload))).toBe('Bearer at-1');
    const sent = (upload?.init.body as FormData).get('avatar') as File;
    expect([sent.name, sent.type, await sent.text()]).toEqual(['me.png', 'image/png', 'png-bytes']);
    const imageCall = calls.find((c) => c.url === '/api/v1/users/u1/avatar?v=abc');
    expect(bearerOf(must(imageCall))).toBe('Bearer at-1');
    expect(await objectUrls.blobs.get(served.getAttribute('src') ?? '')?.text()).toBe('webp-bytes');
    expect(objectUrls.revoked).toContain(previewUrl);
    expect(screen.getByRole('button', { name: 'Remove photo' })).toBeInTheDocument();
  });

  it('when the file is not an image or too large, then it is refused before any upload', async () => {
    const calls = setup();
    const ui = userEvent.setup({ applyAccept: false });
    const input = await screen.findByLabelText('Choose a photo');

    await ui.upload(input, new File(['%PDF'], 'cv.pdf', { type: 'application/pdf' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not a PNG, JPEG, WebP or GIF');

    const big = new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'big.png', { type: 'image/png' });
    await ui.upload(input, big);
    expect(await screen.findByRole('alert')).toHaveTextContent('larger than 5 MB');
    expect(screen.queryByRole('img', { name: 'Preview of your new photo' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Upload photo' })).toBeNull();
    expect(calls.filter((c) => c.url.includes('avatar'))).toHaveLength(0);
  });

  it('when the photo is removed, then DELETE is sent and the placeholder returns', async () => {
    const calls = setup((call) => {
      if (call.url === '/api/v1/users/me' && call.init.method !== 'PATCH') {
        return json(200, testProfile({ avatarUrl: '/api/v1/users/u1/avatar?v=1' }));
      }
      if (call.url === '/api/v1/users/u1/avatar?v=1') return new Response('img');
      if (call.url === '/api/v1/users/me/avatar') return new Response(null, { status: 204 });
      return undefined;
    });
    const ui = userEvent.setup();

    await screen.findByRole('img', { name: 'Your photo' });
    await ui.click(screen.getByRole('button', { name: 'Remove photo' }));

    const section = screen.getByRole('region', { name: 'Photo' });
    expect(await within(section).findByRole('img', { name: 'No photo yet' })).toBeInTheDocument();
    expect(within(section).getByRole('status')).toHaveTextContent('Your photo was removed.');
    expect(calls.find((c) => c.init.method === 'DELETE')?.url).toBe('/api/v1/users/me/avatar');
  });
});
