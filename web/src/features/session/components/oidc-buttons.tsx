import { useTranslation } from 'react-i18next';
import { oidcAuthorizeUrl, useOidcProviders } from '../api/oidc-providers.ts';

/** One link per external provider; nothing at all when there are none or the list fails. */
export function OidcButtons({ returnTo }: { returnTo: string }) {
  const { t } = useTranslation();
  const providers = useOidcProviders();
  if (!providers.data?.length) return null;
  return (
    <div className="mt-6 flex flex-col gap-3">
      <p className="text-center text-sm">{t('oidc.or')}</p>
      <ul className="flex flex-col gap-2">
        {providers.data.map((provider) => (
          <li key={provider.id}>
            <a
              href={oidcAuthorizeUrl(provider.id, returnTo)}
              className="block rounded border border-slate-400 px-4 py-2 text-center font-medium hover:bg-slate-100 dark:border-slate-500 dark:hover:bg-slate-800"
            >
              {t('oidc.continueWith', { name: provider.name })}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
