// What other features may use of the audit log viewer (eslint enforces it): one user's trail.
export { UserAuditTrail } from './components/user-audit-trail.tsx';
