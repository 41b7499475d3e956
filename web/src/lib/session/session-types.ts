export interface SessionUser {
  id: string;
  email: string;
  role: string;
  firstName?: string | null;
  lastName?: string | null;
}

export interface TokenResponse {
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  tokenType: string;
  user: SessionUser;
}

export interface MfaChallenge {
  mfaRequired: true;
  mfaToken: string;
}
