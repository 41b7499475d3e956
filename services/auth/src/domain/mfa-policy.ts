import { forbidden } from '@ums/service-kit/errors';

/** Whether the policy (config MFA_REQUIRED_ROLES) requires MFA of this role. */
export function mfaRequiredFor(role: string, requiredRoles: readonly string[]): boolean {
  return requiredRoles.includes(role);
}

/**
 * A user whose role requires MFA but who has not enrolled may still sign in (to enrol) and use
 * self-service routes, but no permission-protected route until MFA is on.
 */
export function mfaEnrollmentRequired(
  user: { role: string; mfaEnabled: boolean },
  requiredRoles: readonly string[],
): boolean {
  return !user.mfaEnabled && mfaRequiredFor(user.role, requiredRoles);
}

/** Throws 403 `auth.mfa_enrollment_required` when the policy blocks this user. */
export function assertMfaPolicy(
  user: { role: string; mfaEnabled: boolean },
  requiredRoles: readonly string[],
): void {
  if (mfaEnrollmentRequired(user, requiredRoles)) {
    throw forbidden(
      'auth.mfa_enrollment_required',
      'Your role requires multi-factor authentication: enable it first.',
    );
  }
}
