import type { AdminErrorMessages, AdminShellMessages } from './en.ts';

export const adminShellEs: AdminShellMessages = { nav: { link: 'Administración' } };

export const adminErrorsEs: AdminErrorMessages = {
  account: {
    not_found: 'Ninguna cuenta tiene este id.',
    self_demotion: 'Aquí no puedes cambiar tu propio rol ni tu propio estado.',
    self_deletion: 'Aquí no puedes eliminar tu propia cuenta.',
    protected_target: 'Esta cuenta tiene permisos que tú no tienes, así que no puedes cambiarla.',
    role_not_grantable: 'Este rol concede permisos que tú no tienes, así que no puedes asignarlo.',
    unknown_role: 'Este rol no existe.',
    last_super_admin: 'Debe quedar al menos un super_admin activo.',
    not_active: 'Esta cuenta está suspendida o inactiva, así que ahora no se puede hacer esto.',
  },
  role: {
    not_found: 'Este rol no existe.',
    already_exists: 'Ya existe un rol con este nombre.',
    system_role: 'Los roles integrados no se pueden eliminar.',
    in_use: 'Algunas cuentas todavía tienen este rol. Asígnales otro rol primero.',
    lockout_protection: 'El rol super_admin debe conservar el permiso de gestionar roles.',
    self_demotion: 'No puedes quitar a tu propio rol el permiso de gestionar roles.',
  },
  directory: {
    invalid_cursor: 'El enlace de esta página ya no es válido. Empieza desde la primera página.',
  },
  audit: {
    invalid_cursor: 'El enlace de esta página ya no es válido. Empieza desde la primera página.',
  },
  export: { rate_limited: 'Demasiadas exportaciones. Espera un minuto y vuelve a intentarlo.' },
};
