import type { AdminErrorMessages, AdminShellMessages } from './en.ts';

export const adminShellFr: AdminShellMessages = { nav: { link: 'Administration' } };

export const adminErrorsFr: AdminErrorMessages = {
  account: {
    not_found: 'Aucun compte n’a cet id.',
    self_demotion: 'Vous ne pouvez pas changer votre propre rôle ou statut ici.',
    self_deletion: 'Vous ne pouvez pas supprimer votre propre compte ici.',
    protected_target:
      'Ce compte a des autorisations que vous n’avez pas : vous ne pouvez pas le modifier.',
    role_not_grantable:
      'Ce rôle donne des autorisations que vous n’avez pas : vous ne pouvez pas l’attribuer.',
    unknown_role: 'Ce rôle n’existe pas.',
    last_super_admin: 'Il doit rester au moins un super_admin actif.',
    not_active: 'Ce compte est suspendu ou inactif : cette action est impossible pour le moment.',
  },
  role: {
    not_found: 'Ce rôle n’existe pas.',
    already_exists: 'Un rôle porte déjà ce nom.',
    system_role: 'Les rôles intégrés ne peuvent pas être supprimés.',
    in_use: 'Des comptes ont encore ce rôle. Attribuez-leur d’abord un autre rôle.',
    lockout_protection: 'Le rôle super_admin doit garder l’autorisation de gérer les rôles.',
    self_demotion:
      'Vous ne pouvez pas retirer à votre propre rôle l’autorisation de gérer les rôles.',
  },
  directory: {
    invalid_cursor: 'Le lien de cette page n’est plus valide. Recommencez à la première page.',
  },
  audit: {
    invalid_cursor: 'Le lien de cette page n’est plus valide. Recommencez à la première page.',
  },
  export: { rate_limited: 'Trop d’exportations. Patientez une minute puis réessayez.' },
};
