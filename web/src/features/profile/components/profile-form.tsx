import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { FormError } from '../../../components/form-error.tsx';
import { FormField } from '../../../components/form-field.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { ApiError } from '../../../lib/http.ts';
import { useUpdateOwnProfile, type OwnProfile } from '../../../lib/profile/own-profile.ts';
import {
  profileFormSchema,
  serverFieldError,
  toProfilePatch,
  type ProfileFormValues,
} from '../profile-schema.ts';
import { TextAreaField } from './text-area-field.tsx';

const valuesOf = (profile: OwnProfile): ProfileFormValues => ({
  firstName: profile.firstName ?? '',
  lastName: profile.lastName ?? '',
  displayName: profile.displayName ?? '',
  bio: profile.bio ?? '',
  phone: profile.phone ?? '',
  location: profile.location ?? '',
  website: profile.website ?? '',
  jobTitle: profile.jobTitle ?? '',
  company: profile.company ?? '',
});

export function ProfileForm({ profile }: { profile: OwnProfile }) {
  const { t } = useTranslation();
  const update = useUpdateOwnProfile();
  const form = useForm<ProfileFormValues>({
    resolver: zodResolver(profileFormSchema),
    defaultValues: valuesOf(profile),
  });
  const { errors, isDirty } = form.formState;

  const onSubmit = form.handleSubmit((values) =>
    update.mutate(toProfilePatch(values), {
      onSuccess: (saved) => form.reset(valuesOf(saved)),
      onError: (error) => {
        if (!(error instanceof ApiError)) return;
        for (const fieldError of error.errors) {
          const mapped = serverFieldError(fieldError);
          if (mapped) form.setError(mapped.field, { message: mapped.messageKey });
        }
      },
    }),
  );

  const field = (name: Exclude<keyof ProfileFormValues, 'bio'>, autoComplete: string) => (
    <FormField
      label={t(`profile.fields.${name}`)}
      autoComplete={autoComplete}
      errorKey={errors[name]?.message}
      {...(name === 'phone' ? { type: 'tel' } : name === 'website' ? { type: 'url' } : {})}
      {...form.register(name)}
    />
  );

  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={onSubmit}>
      <FormError error={update.error} />
      <div className="grid gap-4 sm:grid-cols-2">
        {field('firstName', 'given-name')}
        {field('lastName', 'family-name')}
      </div>
      {field('displayName', 'nickname')}
      <TextAreaField
        label={t('profile.fields.bio')}
        errorKey={errors.bio?.message}
        {...form.register('bio')}
      />
      <div className="grid gap-4 sm:grid-cols-2">
        {field('jobTitle', 'organization-title')}
        {field('company', 'organization')}
        {field('phone', 'tel')}
        {field('location', 'address-level2')}
      </div>
      {field('website', 'url')}
      <SubmitButton busy={update.isPending}>{t('profile.save')}</SubmitButton>
      <p role="status" className="text-sm">
        {update.isSuccess && !isDirty ? t('profile.saved') : ''}
      </p>
    </form>
  );
}
