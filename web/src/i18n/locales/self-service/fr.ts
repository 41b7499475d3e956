import type {
  SelfServiceAuthErrorMessages,
  SelfServiceErrorMessages,
  SelfServiceMessages,
} from './en.ts';

export const selfServiceFr: SelfServiceMessages = {
  userNav: {
    home: 'Accueil',
    profile: 'Profil',
    preferences: 'Préférences',
    security: 'Sécurité',
    privacy: 'Confidentialité',
    pagesLabel: 'Votre compte',
  },
  oidc: {
    or: 'ou',
    continueWith: 'Continuer avec {{name}}',
    finishing: 'Connexion en cours…',
    notices: {
      signedOutEverywhere: 'Vous avez été déconnecté de tous vos appareils.',
      accountDeleted: 'Votre compte a été supprimé. Nous sommes désolés de vous voir partir.',
    },
  },
  profile: {
    title: 'Votre profil',
    detailsTitle: 'Informations',
    save: 'Enregistrer le profil',
    saved: 'Votre profil a été enregistré.',
    preferencesLink: 'Langue, thème, fuseau horaire et notifications',
    fields: {
      firstName: 'Prénom',
      lastName: 'Nom',
      displayName: 'Nom affiché',
      bio: 'À propos de vous',
      phone: 'Téléphone',
      location: 'Lieu',
      website: 'Site web',
      jobTitle: 'Poste',
      company: 'Entreprise',
    },
    errors: {
      maxLength100: '100 caractères au maximum.',
      maxLength1000: '1 000 caractères au maximum.',
      maxLength2048: '2 048 caractères au maximum.',
      singleLine: 'Une seule ligne de texte, sans caractères de contrôle.',
      controlCharacters: 'Supprimez les caractères de contrôle.',
      phone:
        'Saisissez un numéro de téléphone : chiffres, espaces, ( ) . - et un + initial facultatif.',
      website: 'Saisissez une adresse web commençant par http:// ou https://.',
    },
    avatar: {
      title: 'Photo',
      choose: 'Choisir une photo',
      hint: 'PNG, JPEG, WebP ou GIF, jusqu’à {{max}} Mo.',
      wrongType: 'Ce fichier n’est pas une image PNG, JPEG, WebP ou GIF.',
      tooLarge: 'Ce fichier dépasse {{max}} Mo.',
      previewAlt: 'Aperçu de votre nouvelle photo',
      currentAlt: 'Votre photo',
      none: 'Pas encore de photo',
      upload: 'Envoyer la photo',
      cancel: 'Annuler',
      remove: 'Supprimer la photo',
      uploaded: 'Votre nouvelle photo a été enregistrée.',
      removed: 'Votre photo a été supprimée.',
    },
  },
  preferencesPage: {
    title: 'Préférences',
    timezone: 'Fuseau horaire',
    notifications: 'Notifications',
    channel: { email: 'Par e-mail', push: 'Notifications push', sms: 'Par SMS' },
    save: 'Enregistrer les préférences',
    saved: 'Vos préférences ont été enregistrées.',
  },
  security: {
    title: 'Sécurité',
    cancel: 'Annuler',
    password: {
      title: 'Mot de passe',
      current: 'Mot de passe actuel',
      submit: 'Changer le mot de passe',
      changed: 'Votre mot de passe a été changé. Autres sessions déconnectées : {{sessions}}.',
    },
    totp: {
      title: 'Validation en deux étapes',
      on: 'La validation en deux étapes est activée. Codes de récupération restants : {{remaining}}.',
      off: 'La validation en deux étapes est désactivée.',
      required:
        'Votre rôle exige la validation en deux étapes : certaines pages restent fermées tant qu’elle n’est pas activée.',
      setUp: 'Configurer la validation en deux étapes',
      stepScan:
        'Scannez le QR code avec votre application d’authentification, ou saisissez-y la clé de configuration.',
      stepCode: 'Saisissez le code à 6 chiffres affiché par l’application.',
      qrLabel: 'QR code pour votre application d’authentification',
      setupKey: 'Clé de configuration',
      code: 'Code de votre application',
      enable: 'Activer',
      regenerate: 'Obtenir de nouveaux codes de récupération',
      disable: 'Désactiver la validation en deux étapes',
      disableTitle: 'Désactiver la validation en deux étapes ?',
      disableHelp:
        'Saisissez votre mot de passe et un code de votre application (ou un code de récupération). Vos autres sessions seront déconnectées.',
      confirmDisable: 'Désactiver',
      regenerateTitle: 'Obtenir de nouveaux codes de récupération ?',
      regenerateHelp:
        'Saisissez votre mot de passe. Vos codes de récupération actuels ne fonctionneront plus.',
      confirmRegenerate: 'Obtenir de nouveaux codes',
    },
    recovery: {
      title: 'Conservez vos codes de récupération',
      help: 'Chaque code ne sert qu’une fois, si vous perdez votre téléphone. Ils ne sont affichés que maintenant : copiez-les ou téléchargez-les et gardez-les en lieu sûr.',
      listLabel: 'Codes de récupération',
      copy: 'Copier les codes',
      download: 'Télécharger les codes',
      done: 'Je les ai enregistrés',
      copied: 'Les codes ont été copiés.',
      copyFailed: 'Impossible de copier les codes. Téléchargez-les plutôt.',
    },
    sessions: {
      title: 'Où vous êtes connecté',
      listLabel: 'Sessions actives',
      current: 'Cet appareil',
      unknownDevice: 'Appareil inconnu',
      unknownAddress: 'adresse inconnue',
      details: 'Depuis {{ip}} · ouverte le {{started}} · dernière utilisation le {{lastUsed}}',
      revoke: 'Déconnecter',
      revokeNamed: 'Déconnecter {{device}}',
      logoutAll: 'Se déconnecter partout',
      logoutAllTitle: 'Se déconnecter partout ?',
      logoutAllHelp:
        'Toutes les sessions prennent fin, y compris celle-ci. Vous devrez vous reconnecter.',
      confirmLogoutAll: 'Se déconnecter partout',
    },
  },
  privacy: {
    title: 'Confidentialité',
    export: {
      title: 'Vos données',
      help: 'Téléchargez dans un seul fichier JSON tout ce que nous conservons sur vous (compte, sessions, événements de sécurité, profil et préférences).',
      download: 'Télécharger mes données',
      preparing: 'Préparation de votre fichier…',
      done: 'Votre fichier a été téléchargé.',
    },
    delete: {
      title: 'Supprimer votre compte',
      help: 'La suppression de votre compte efface définitivement votre profil, votre photo et vos sessions. C’est irréversible.',
      open: 'Supprimer mon compte',
      dialogTitle: 'Supprimer votre compte ?',
      warning: 'C’est irréversible. Confirmez avec votre mot de passe.',
      typeEmail: 'Saisissez votre adresse e-mail ({{email}})',
      noPassword: 'Mon compte n’a pas de mot de passe (je me connecte via un fournisseur externe)',
      usePassword: 'Confirmer plutôt avec mon mot de passe',
      confirm: 'Supprimer définitivement mon compte',
      cancel: 'Annuler',
    },
  },
};

export const selfServiceAuthErrorsFr: SelfServiceAuthErrorMessages = {
  invalid_current_password: 'Le mot de passe est incorrect.',
  reauthentication_failed: 'Le mot de passe ou le code est incorrect.',
  mfa_already_enabled: 'La validation en deux étapes est déjà activée.',
  mfa_setup_required: 'Recommencez la configuration : la clé a expiré.',
  mfa_not_enabled: 'La validation en deux étapes n’est pas activée.',
  session_not_found: 'Cette session est déjà terminée.',
  oidc_invalid_return_to: 'Ce lien de connexion n’est pas autorisé.',
  oidc_unknown_provider: 'Ce fournisseur de connexion n’est pas disponible.',
  oidc_provider_unavailable:
    'Le fournisseur de connexion est injoignable. Veuillez réessayer plus tard.',
  oidc_invalid_state:
    'La connexion a pris trop de temps ou a commencé ailleurs. Veuillez réessayer.',
  oidc_failed: 'La connexion via le fournisseur externe n’a pas abouti. Veuillez réessayer.',
  oidc_email_unverified: 'Le fournisseur n’a pas vérifié votre adresse e-mail.',
  oidc_email_missing: 'Le fournisseur n’a pas communiqué votre adresse e-mail.',
  oidc_account_unverified:
    'Un compte existe avec cet e-mail, mais il n’est pas confirmé. Connectez-vous d’abord avec votre mot de passe.',
  oidc_account_disabled: 'Ce compte est désactivé.',
};

export const selfServiceErrorsFr: SelfServiceErrorMessages = {
  avatar: {
    unsupported_type: 'La photo doit être une image PNG, JPEG, WebP ou GIF.',
    invalid_image: 'Cette image est illisible ou compte trop de pixels.',
    too_large: 'Le fichier est trop volumineux.',
    missing_file: 'Choisissez d’abord un fichier.',
    not_found: 'Il n’y a pas de photo.',
  },
  profile: {
    not_found: 'Votre profil n’est pas encore prêt. Réessayez dans un instant.',
    database_unavailable: 'Les profils sont indisponibles pour le moment. Réessayez bientôt.',
  },
};
