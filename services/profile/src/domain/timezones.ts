// IANA time zones as the runtime's ICU knows them. `Intl.supportedValuesOf` lists canonical
// names only, so `UTC` and well-known aliases (`Asia/Kolkata`) are accepted when ICU resolves them.
const canonical = new Set(Intl.supportedValuesOf('timeZone'));
/** `UTC` and the runtime's canonical zone names, sorted: what the OpenAPI document lists. */
export const CANONICAL_TIME_ZONES: readonly string[] = [...new Set(['UTC', ...canonical])].sort();
const ALIAS_SHAPE = /^[A-Za-z]+(?:[_-][A-Za-z]+)*(?:\/[A-Za-z0-9]+(?:[_+-][A-Za-z0-9]+)*){1,2}$/;

export function isValidTimeZone(value: string): boolean {
  if (canonical.has(value) || value === 'UTC') return true;
  if (value.length > 64 || !ALIAS_SHAPE.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
