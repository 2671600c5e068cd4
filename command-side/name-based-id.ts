/**
 * A name-based (version 5) uuid: the same name in the same namespace always gives the same id, which is what makes a
 * repeated command append nothing. The name is hashed as its UTF-8 bytes, handed over as bytes: the uuid package
 * converts a string character by character, which showed in profiles for ids derived from whole events.
 */
import { v5 as uuidv5 } from 'uuid';

export const nameBasedId = (name: string, namespace: string): string => uuidv5(Buffer.from(name, 'utf8'), namespace);
