import { HttpError } from '../http/http-error.js';

/** Control (Cc) and format (Cf: zero-width, bidi overrides, soft hyphen) characters, and invisible fillers. */
const INVISIBLE = /[\p{Cc}\p{Cf}\u115F\u1160\u3164\uFFA0]/u;
/** Scripts whose letters pass for Latin ones: "аlice" with a Cyrillic а reads as "alice". */
const LOOK_ALIKE_SCRIPTS = [/\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];
const LATIN = /\p{Script=Latin}/u;

/**
 * The one form a username is stored, looked up and rate-limited under:
 * NFKC (full-width and composed forms fold into one), trimmed, inner
 * whitespace collapsed, lower case. Names that would only look alike to a
 * reader are refused, so "ALICE", "alice " and "ａｌｉｃｅ" are all alice,
 * and "al\u200Bice" or a Latin name with a Cyrillic letter cannot pass for her.
 */
export function canonicalUsername(raw: string): string {
  const name = raw.normalize('NFKC').trim().replace(/\s+/gu, ' ');
  if (name === '') throw new HttpError(400, 'Username is required.');
  if (INVISIBLE.test(name)) {
    throw new HttpError(
      400,
      'Username must not contain control or invisible (zero-width, direction) characters: ' +
        'use visible letters, digits and punctuation.',
    );
  }
  if (LATIN.test(name) && LOOK_ALIKE_SCRIPTS.some((script) => script.test(name))) {
    throw new HttpError(
      400,
      'Username mixes Latin letters with Cyrillic or Greek ones, which look alike: ' +
        'write it in one alphabet.',
    );
  }
  return name.toLowerCase().normalize('NFKC');
}

/** A password as sent, unless it is blank: flaskr's message for none at all. */
export function requiredPassword(raw: string): string {
  if (raw.trim() === '') throw new HttpError(400, 'Password is required.');
  return raw;
}
