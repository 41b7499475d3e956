/** A connection URL safe to print: the password becomes `***`. */
export function redactUrl(url: string | undefined): string {
  if (!url) return '(not configured)';
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
