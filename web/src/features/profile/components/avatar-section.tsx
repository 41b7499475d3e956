import { useId, useRef, useState, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { primaryButton, secondaryButton } from '../../../components/button-styles.ts';
import { FormError } from '../../../components/form-error.tsx';
import {
  AVATAR_MAX_BYTES,
  AVATAR_TYPES,
  useAvatarImage,
  useRemoveAvatar,
  useUploadAvatar,
} from '../api/avatar.ts';
import { useObjectUrl } from '../hooks/use-object-url.ts';

type PickError = 'profile.avatar.wrongType' | 'profile.avatar.tooLarge';

function checkFile(file: File): PickError | null {
  if (!(AVATAR_TYPES as readonly string[]).includes(file.type)) return 'profile.avatar.wrongType';
  if (file.size > AVATAR_MAX_BYTES) return 'profile.avatar.tooLarge';
  return null;
}

export function AvatarSection({ avatarUrl }: { avatarUrl: string | null }) {
  const { t, i18n } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<File | null>(null);
  const [pickError, setPickError] = useState<PickError | null>(null);
  const previewUrl = useObjectUrl(picked);
  const served = useAvatarImage(avatarUrl);
  const servedUrl = useObjectUrl(avatarUrl ? served.data : null);
  const upload = useUploadAvatar();
  const remove = useRemoveAvatar();
  const maxMegabytes = new Intl.NumberFormat(i18n.language).format(AVATAR_MAX_BYTES / 1024 / 1024);

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0] ?? null;
    upload.reset();
    const error = file ? checkFile(file) : null;
    setPickError(error);
    setPicked(error ? null : file);
  };
  const clearPick = () => {
    setPicked(null);
    if (input.current) input.current.value = '';
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-4">
        {previewUrl ? (
          <img
            src={previewUrl}
            alt={t('profile.avatar.previewAlt')}
            className="size-24 rounded-full border-2 border-dashed border-blue-700 object-cover dark:border-blue-400"
          />
        ) : servedUrl ? (
          <img
            src={servedUrl}
            alt={t('profile.avatar.currentAlt')}
            className="size-24 rounded-full object-cover"
          />
        ) : (
          <div
            role="img"
            aria-label={t('profile.avatar.none')}
            className="size-24 rounded-full bg-slate-200 dark:bg-slate-700"
          />
        )}
        <div className="flex flex-col gap-1">
          <label htmlFor={inputId} className="text-sm font-medium">
            {t('profile.avatar.choose')}
          </label>
          <input
            ref={input}
            id={inputId}
            type="file"
            accept={AVATAR_TYPES.join(',')}
            aria-describedby={`${inputId}-hint`}
            onChange={onPick}
            className="text-sm file:me-3 file:rounded file:border file:border-slate-400 file:bg-transparent file:px-3 file:py-1 dark:file:border-slate-500 dark:file:text-slate-100"
          />
          <p id={`${inputId}-hint`} className="text-sm text-slate-700 dark:text-slate-300">
            {t('profile.avatar.hint', { max: maxMegabytes })}
          </p>
        </div>
      </div>
      {pickError ? (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {t(pickError, { max: maxMegabytes })}
        </p>
      ) : null}
      <FormError error={upload.error ?? remove.error} />
      <div className="flex flex-wrap gap-2">
        {picked ? (
          <>
            <button
              type="button"
              className={primaryButton}
              disabled={upload.isPending}
              aria-busy={upload.isPending}
              onClick={() => upload.mutate(picked, { onSuccess: clearPick })}
            >
              {t('profile.avatar.upload')}
            </button>
            <button type="button" className={secondaryButton} onClick={clearPick}>
              {t('profile.avatar.cancel')}
            </button>
          </>
        ) : null}
        {avatarUrl && !picked ? (
          <button
            type="button"
            className={secondaryButton}
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            {t('profile.avatar.remove')}
          </button>
        ) : null}
      </div>
      <p role="status" className="text-sm">
        {upload.isSuccess ? t('profile.avatar.uploaded') : ''}
        {remove.isSuccess && !avatarUrl ? t('profile.avatar.removed') : ''}
      </p>
    </div>
  );
}
