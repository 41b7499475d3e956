export interface SessionUser {
  id: string;
  email: string;
  role: string;
  firstName?: string | null;
  lastName?: string | null;
}

/** What sign-in and refresh answer the web app: the refresh token stays in the HttpOnly cookie. */
export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  tokenType: string;
  user: SessionUser;
}

export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
}
