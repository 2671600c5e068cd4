/**
 * How embedding vectors travel inside events (ChunksEmbedded): each vector is the base64 text of its float32
 * components in little-endian byte order. 4 bytes per dimension before base64 (vs ~20 as JSON numbers), exact
 * round trip of float32, and the same bytes on every platform. Pure: no Buffer, no Node.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map([...ALPHABET].map((char, index) => [char, index]));

function bytesToBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i]!;
    const b = i + 1 < bytes.length ? bytes[i + 1]! : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2]! : 0;
    const triple = (a << 16) | (b << 8) | c;
    out += ALPHABET[(triple >> 18) & 63]! + ALPHABET[(triple >> 12) & 63]!;
    out += i + 1 < bytes.length ? ALPHABET[(triple >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? ALPHABET[triple & 63]! : '=';
  }
  return out;
}

function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new TypeError('packed vector: base64 length must be a multiple of 4');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const char = text[i + j]!;
      const value = char === '=' && i + j >= text.length - padding ? 0 : LOOKUP.get(char);
      if (value === undefined) throw new TypeError(`packed vector: invalid base64 character ${JSON.stringify(char)}`);
      triple = (triple << 6) | value;
    }
    if (at < bytes.length) bytes[at++] = (triple >> 16) & 255;
    if (at < bytes.length) bytes[at++] = (triple >> 8) & 255;
    if (at < bytes.length) bytes[at++] = triple & 255;
  }
  return bytes;
}

/** Float32 little-endian, base64. */
export function packVector(vector: ArrayLike<number>): string {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < vector.length; i++) view.setFloat32(i * 4, vector[i]!, true);
  return bytesToBase64(bytes);
}

export function unpackVector(packed: string): Float32Array {
  const bytes = base64ToBytes(packed);
  if (bytes.length % 4 !== 0) throw new TypeError('packed vector: byte length must be a multiple of 4');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vector = new Float32Array(bytes.length / 4);
  for (let i = 0; i < vector.length; i++) vector[i] = view.getFloat32(i * 4, true);
  return vector;
}

