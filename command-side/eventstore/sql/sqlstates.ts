/** SQLSTATEs raised by es_append (mapped to typed errors in errors.ts) and the NOTIFY channel of appends. */
export const WRONG_EXPECTED_VERSION = 'ES409';
export const PARTIAL_DUPLICATE = 'ES422';
export const NOT_FIRST_WRITE = 'ES428';
export const NOTIFY_CHANNEL = 'es_events';
