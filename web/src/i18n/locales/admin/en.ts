// What the admin console needs before its chunk loads: the header link and the server error
// codes of the admin API (spread into `errors`). The console's own strings are lazy: ./console-en.ts.
export const adminShellEn = { nav: { link: 'Admin' } };

/** Server error codes of the admin API, spread into `errors` (`errors.account.not_found`...). */
export const adminErrorsEn = {
  account: {
    not_found: 'No account has this id.',
    self_demotion: 'You cannot change your own role or status here.',
    self_deletion: 'You cannot delete your own account here.',
    protected_target: 'This account has rights you do not hold, so you cannot change it.',
    role_not_grantable: 'This role grants rights you do not hold, so you cannot give it.',
    unknown_role: 'This role does not exist.',
    last_super_admin: 'At least one active super admin must remain.',
    not_active: 'This account is suspended or inactive, so this cannot be done now.',
  },
  role: {
    not_found: 'This role does not exist.',
    already_exists: 'A role with this name already exists.',
    system_role: 'Built-in roles cannot be deleted.',
    in_use: 'Some accounts still have this role. Give them another role first.',
    lockout_protection: 'The super_admin role must keep the right to manage roles.',
    self_demotion: 'You cannot remove the right to manage roles from your own role.',
  },
  directory: { invalid_cursor: 'This page link is no longer valid. Start from the first page.' },
  audit: { invalid_cursor: 'This page link is no longer valid. Start from the first page.' },
  export: { rate_limited: 'Too many exports. Please wait a minute and try again.' },
};

type Stringify<T> = { [K in keyof T]: T[K] extends string ? string : Stringify<T[K]> };

export type AdminShellMessages = Stringify<typeof adminShellEn>;
export type AdminErrorMessages = Stringify<typeof adminErrorsEn>;
