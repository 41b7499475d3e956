// Strings of the signed-in user's own pages (profile, preferences, security, privacy), the main
// navigation and external sign-in; spread into every locale's root, their server error codes into
// `errors` and `errors.auth`. English is the typed source; es, fr and ar are checked against it.
export const selfServiceEn = {
  userNav: {
    home: 'Home',
    profile: 'Profile',
    preferences: 'Preferences',
    security: 'Security',
    privacy: 'Privacy',
    pagesLabel: 'Your account',
  },
  oidc: {
    or: 'or',
    continueWith: 'Continue with {{name}}',
    finishing: 'Finishing your sign-in…',
    notices: {
      signedOutEverywhere: 'You were signed out on every device.',
      accountDeleted: 'Your account was deleted. We are sorry to see you go.',
    },
  },
  profile: {
    title: 'Your profile',
    detailsTitle: 'Details',
    save: 'Save profile',
    saved: 'Your profile was saved.',
    preferencesLink: 'Language, theme, time zone and notifications',
    fields: {
      firstName: 'First name',
      lastName: 'Last name',
      displayName: 'Display name',
      bio: 'About you',
      phone: 'Phone',
      location: 'Location',
      website: 'Website',
      jobTitle: 'Job title',
      company: 'Company',
    },
    errors: {
      maxLength100: 'Use at most 100 characters.',
      maxLength1000: 'Use at most 1,000 characters.',
      maxLength2048: 'Use at most 2,048 characters.',
      singleLine: 'Use a single line of text without special control characters.',
      controlCharacters: 'Remove the special control characters.',
      phone: 'Enter a phone number: digits, spaces, ( ) . - and an optional leading +.',
      website: 'Enter a web address starting with http:// or https://.',
    },
    avatar: {
      title: 'Photo',
      choose: 'Choose a photo',
      hint: 'PNG, JPEG, WebP or GIF, up to {{max}} MB.',
      wrongType: 'This file is not a PNG, JPEG, WebP or GIF image.',
      tooLarge: 'This file is larger than {{max}} MB.',
      previewAlt: 'Preview of your new photo',
      currentAlt: 'Your photo',
      none: 'No photo yet',
      upload: 'Upload photo',
      cancel: 'Cancel',
      remove: 'Remove photo',
      uploaded: 'Your new photo was saved.',
      removed: 'Your photo was removed.',
    },
  },
  preferencesPage: {
    title: 'Preferences',
    timezone: 'Time zone',
    notifications: 'Notifications',
    channel: { email: 'By email', push: 'Push notifications', sms: 'By text message (SMS)' },
    save: 'Save preferences',
    saved: 'Your preferences were saved.',
  },
  security: {
    title: 'Security',
    cancel: 'Cancel',
    password: {
      title: 'Password',
      current: 'Current password',
      submit: 'Change password',
      changed: 'Your password was changed. Other sessions signed out: {{sessions}}.',
    },
    totp: {
      title: 'Two-step verification',
      on: 'Two-step verification is on. Recovery codes left: {{remaining}}.',
      off: 'Two-step verification is off.',
      required: 'Your role requires two-step verification: some pages stay closed until it is on.',
      setUp: 'Set up two-step verification',
      stepScan: 'Scan the QR code with your authenticator app, or type the setup key into it.',
      stepCode: 'Enter the 6-digit code the app shows.',
      qrLabel: 'QR code for your authenticator app',
      setupKey: 'Setup key',
      code: 'Code from your app',
      enable: 'Turn on',
      regenerate: 'Get new recovery codes',
      disable: 'Turn off two-step verification',
      disableTitle: 'Turn off two-step verification?',
      disableHelp:
        'Enter your password and a code from your app (or a recovery code). Your other sessions will be signed out.',
      confirmDisable: 'Turn off',
      regenerateTitle: 'Get new recovery codes?',
      regenerateHelp: 'Enter your password. Your current recovery codes will stop working.',
      confirmRegenerate: 'Get new codes',
    },
    recovery: {
      title: 'Save your recovery codes',
      help: 'Each code works once, if you lose your phone. They are shown only now: copy or download them and keep them somewhere safe.',
      listLabel: 'Recovery codes',
      copy: 'Copy codes',
      download: 'Download codes',
      done: 'I have saved them',
      copied: 'The codes were copied.',
      copyFailed: 'The codes could not be copied. Download them instead.',
    },
    sessions: {
      title: 'Where you are signed in',
      listLabel: 'Active sessions',
      current: 'This device',
      unknownDevice: 'Unknown device',
      unknownAddress: 'unknown address',
      details: 'From {{ip}} · started {{started}} · last used {{lastUsed}}',
      revoke: 'Sign out',
      revokeNamed: 'Sign out {{device}}',
      logoutAll: 'Sign out everywhere',
      logoutAllTitle: 'Sign out everywhere?',
      logoutAllHelp: 'Every session ends, this one included. You will need to sign in again.',
      confirmLogoutAll: 'Sign out everywhere',
    },
  },
  privacy: {
    title: 'Privacy',
    export: {
      title: 'Your data',
      help: 'Download everything we hold about you (account, sessions, security events, profile and preferences) as one JSON file.',
      download: 'Download my data',
      preparing: 'Preparing your file…',
      done: 'Your file was downloaded.',
    },
    delete: {
      title: 'Delete your account',
      help: 'Deleting your account removes your profile, photo and sessions for good. This cannot be undone.',
      open: 'Delete my account',
      dialogTitle: 'Delete your account?',
      warning: 'This cannot be undone. Confirm with your password.',
      typeEmail: 'Type your email address ({{email}})',
      noPassword: 'My account has no password (I sign in with an external provider)',
      usePassword: 'Confirm with my password instead',
      confirm: 'Delete my account for good',
      cancel: 'Cancel',
    },
  },
};

/** Server codes of these pages, spread into `errors.auth`. */
export const selfServiceAuthErrorsEn = {
  invalid_current_password: 'The password is incorrect.',
  reauthentication_failed: 'The password or the code is incorrect.',
  mfa_already_enabled: 'Two-step verification is already on.',
  mfa_setup_required: 'Start the set-up again: the key has expired.',
  mfa_not_enabled: 'Two-step verification is not on.',
  session_not_found: 'This session has already ended.',
  oidc_invalid_return_to: 'This sign-in link is not allowed.',
  oidc_unknown_provider: 'This sign-in provider is not available.',
  oidc_provider_unavailable: 'The sign-in provider cannot be reached. Please try again later.',
  oidc_invalid_state: 'The sign-in took too long or was started elsewhere. Please try again.',
  oidc_failed: 'Sign-in with the external provider did not complete. Please try again.',
  oidc_email_unverified: 'The provider has not verified your email address.',
  oidc_email_missing: 'The provider did not share your email address.',
  oidc_account_unverified:
    'An account with this email exists but is not confirmed. Sign in with your password first.',
  oidc_account_disabled: 'This account is disabled.',
};

/** New server error groups of these pages, spread into `errors`. */
export const selfServiceErrorsEn = {
  avatar: {
    unsupported_type: 'The photo must be a PNG, JPEG, WebP or GIF image.',
    invalid_image: 'This image cannot be read, or it is too large in pixels.',
    too_large: 'The file is too large.',
    missing_file: 'Choose a file first.',
    not_found: 'There is no photo.',
  },
  profile: {
    not_found: 'Your profile is not ready yet. Please try again in a moment.',
    database_unavailable: 'Profiles are unavailable right now. Please try again shortly.',
  },
};

type Stringify<T> = { [K in keyof T]: T[K] extends string ? string : Stringify<T[K]> };

export type SelfServiceMessages = Stringify<typeof selfServiceEn>;
export type SelfServiceAuthErrorMessages = Stringify<typeof selfServiceAuthErrorsEn>;
export type SelfServiceErrorMessages = Stringify<typeof selfServiceErrorsEn>;
