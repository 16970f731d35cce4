/**
 * Wire format of the HTTP transport: JSON plus binary attachments, so decoded pixel
 * frames and imported files travel as raw bytes instead of base64 or number arrays.
 *
 *   offset 0  u32 LE  length N of the UTF-8 JSON header
 *   offset 4  N bytes JSON; every typed array in the value is replaced by
 *             {"$bin": index, "type": "Uint16Array"}
 *   then      the attachments, each prefixed with its u32 LE byte length
 *
 * Electron IPC needs none of this (structured clone keeps typed arrays), which is why
 * the codec lives beside the contract and not inside a transport.
 */
const TYPED_ARRAYS = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

const MAX_HEADER_BYTES = 64 * 1024 * 1024;

export class WireFormatError extends Error {
  readonly code = 'API_MALFORMED_REQUEST';
}

function typedArrayName(value: ArrayBufferView): TypedArrayName | undefined {
  // Node's Buffer is a Uint8Array subclass: send it as plain bytes.
  if (value instanceof Uint8Array) return 'Uint8Array';
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) {
    if (value instanceof TYPED_ARRAYS[name]) return name;
  }
  return undefined;
}

function extractBinaries(value: unknown, parts: ArrayBufferView[]): unknown {
  if (ArrayBuffer.isView(value)) {
    const type = typedArrayName(value);
    if (!type) throw new WireFormatError(`cannot encode ${value.constructor.name}`);
    parts.push(value);
    return { $bin: parts.length - 1, type };
  }
  if (Array.isArray(value)) return value.map((item) => extractBinaries(item, parts));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) out[key] = extractBinaries(item, parts);
    }
    return out;
  }
  return value;
}

export function encodeWire(value: unknown): Uint8Array {
  const parts: ArrayBufferView[] = [];
  const header = new TextEncoder().encode(JSON.stringify(extractBinaries(value ?? null, parts)));
  const total = 4 + header.length + parts.reduce((sum, part) => sum + 4 + part.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, header.length, true);
  out.set(header, 4);
  let offset = 4 + header.length;
  for (const part of parts) {
    view.setUint32(offset, part.byteLength, true);
    out.set(new Uint8Array(part.buffer, part.byteOffset, part.byteLength), offset + 4);
    offset += 4 + part.byteLength;
  }
  return out;
}

/**
 * Each attachment stands in the header once: a header that names one attachment many times
 * would make the service copy it as often (an 8.4 MB request grew the process by ~1 GB).
 */
function restoreBinaries(value: unknown, parts: Uint8Array[], used = new Set<number>()): unknown {
  if (Array.isArray(value)) return value.map((item) => restoreBinaries(item, parts, used));
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.$bin === 'number' && typeof record.type === 'string') {
      const bytes = parts[record.$bin];
      const Ctor = TYPED_ARRAYS[record.type as TypedArrayName];
      if (!bytes || !Ctor)
        throw new WireFormatError(`attachment ${record.$bin} (${record.type}) is missing`);
      if (used.has(record.$bin))
        throw new WireFormatError(`attachment ${record.$bin} is referenced more than once`);
      used.add(record.$bin);
      if (bytes.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) {
        throw new WireFormatError(
          `attachment ${record.$bin} has ${bytes.byteLength} bytes, not a whole ${record.type}`,
        );
      }
      // Copy so the typed array is aligned and owns its buffer.
      const copy = bytes.slice();
      return new Ctor(copy.buffer, 0, copy.byteLength / Ctor.BYTES_PER_ELEMENT);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) out[key] = restoreBinaries(item, parts, used);
    return out;
  }
  return value;
}

export function decodeWire(bytes: Uint8Array): unknown {
  if (bytes.byteLength < 4)
    throw new WireFormatError(
      `message is ${bytes.byteLength} bytes, shorter than its 4-byte header`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  if (headerLength > MAX_HEADER_BYTES || 4 + headerLength > bytes.byteLength) {
    throw new WireFormatError(
      `header length ${headerLength} exceeds the ${bytes.byteLength}-byte message`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + headerLength)),
    );
  } catch {
    throw new WireFormatError('header is not valid UTF-8 JSON');
  }
  const parts: Uint8Array[] = [];
  let offset = 4 + headerLength;
  while (offset < bytes.byteLength) {
    if (offset + 4 > bytes.byteLength)
      throw new WireFormatError(`attachment length at offset ${offset} is cut off`);
    const length = view.getUint32(offset, true);
    if (offset + 4 + length > bytes.byteLength) {
      throw new WireFormatError(
        `attachment at offset ${offset} claims ${length} bytes, message has ${bytes.byteLength - offset - 4}`,
      );
    }
    parts.push(bytes.subarray(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return restoreBinaries(header, parts);
}
