import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormField } from '../../../components/form-field.tsx';
import { SubmitButton } from '../../../components/submit-button.tsx';
import { AdminError } from '../../admin-shell/public-api.ts';
import { useCreateRole } from '../api/roles.ts';
import { PermissionCheckboxes, toggled } from './permission-checkboxes.tsx';

// Mirrors the server's rule (services/auth/src/routes/account-routes.ts); the server re-checks.
const schema = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{1,49}$/, 'admin.roles.nameInvalid'),
  description: z.string().trim().max(500),
});
type Values = z.infer<typeof schema>;

export function RoleCreateForm({ permissions }: { permissions: readonly string[] }) {
  const { t } = useTranslation();
  const create = useCreateRole();
  const [granted, setGranted] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState('');
  const form = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', description: '' },
  });
  const { errors } = form.formState;

  return (
    <form
      noValidate
      aria-labelledby="role-create-heading"
      className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4 dark:border-slate-700"
      onSubmit={form.handleSubmit((values) => {
        setNotice('');
        create.mutate(
          {
            name: values.name,
            ...(values.description ? { description: values.description } : {}),
            permissions: permissions.filter((p) => granted.has(p)),
          },
          {
            onSuccess: (role) => {
              setNotice(t('admin.roles.created', { name: role.name }));
              form.reset();
              setGranted(new Set());
            },
          },
        );
      })}
    >
      <h2 id="role-create-heading" className="text-lg font-semibold">
        {t('admin.roles.create')}
      </h2>
      <p role="status" className="text-sm font-medium">
        {notice}
      </p>
      <AdminError error={create.error} />
      <FormField
        label={t('admin.roles.name')}
        autoComplete="off"
        spellCheck={false}
        maxLength={50}
        hint={
          <span className="text-sm text-slate-700 dark:text-slate-300">
            {t('admin.roles.nameHint')}
          </span>
        }
        errorKey={errors.name?.message}
        {...form.register('name')}
      />
      <FormField
        label={t('admin.roles.description')}
        autoComplete="off"
        maxLength={500}
        errorKey={errors.description?.message}
        {...form.register('description')}
      />
      <PermissionCheckboxes
        legend={t('admin.roles.permissions')}
        permissions={permissions}
        checked={granted}
        onChange={(permission, on) => setGranted((current) => toggled(current, permission, on))}
      />
      <div>
        <SubmitButton busy={create.isPending}>{t('admin.roles.submitCreate')}</SubmitButton>
      </div>
    </form>
  );
}
