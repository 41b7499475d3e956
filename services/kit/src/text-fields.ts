// Free-text fields both services store. Control characters have no place in them, and NUL in
// particular cannot be stored at all (PostgreSQL's text refuses it, which would surface as a 500).
// Written as patterns, not refinements, so that the OpenAPI document states the rule the server
// applies and contract fuzzers generate within it.
import { z } from 'zod';

/** Text that may span lines: tab, LF and CR allowed, every other C0 control and DEL refused. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const NO_CONTROL = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
/** One line of text: no control characters at all, no Unicode line or paragraph separators. */
// eslint-disable-next-line no-control-regex -- single-line fields refuse line breaks as well
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f\u2028\u2029]*$/;

/** A single line of at most `max` characters. */
export const singleLine = (max: number) =>
  z.string().max(max).regex(SINGLE_LINE, { error: 'must be a single line of text' });

/** Text of at most `max` characters, line breaks allowed, other control characters refused. */
export const multiLine = (max: number) =>
  z.string().max(max).regex(NO_CONTROL, { error: 'must not contain control characters' });
