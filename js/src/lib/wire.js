// Decoding of the wire format written by landscape_widgets/io/wire.py:
// {dtype, shape, buffer} -> a typed array (with .shape). The buffer arrives as a DataView
// (ipywidgets), an ArrayBuffer, a typed array, or a base64 string (embedded HTML state).

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

export function base64ToBytes(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBytes(buffer) {
  if (typeof buffer === "string") return base64ToBytes(buffer);
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  if (ArrayBuffer.isView(buffer)) {
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }
  throw new TypeError(`wire: unsupported buffer ${Object.prototype.toString.call(buffer)}`);
}

/** Decode one wire message; null/undefined pass through. */
export function decode(msg) {
  if (msg == null) return msg;
  const Ctor = CTORS[msg.dtype];
  if (!Ctor) throw new TypeError(`wire: unknown dtype ${JSON.stringify(msg.dtype)}`);
  const bytes = toBytes(msg.buffer);
  const n = msg.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== n * Ctor.BYTES_PER_ELEMENT) {
    throw new RangeError(
      `wire: ${bytes.byteLength} bytes do not hold ${n} ${msg.dtype} values (shape ${msg.shape})`,
    );
  }
  // copy when unaligned (DataViews into a message may start at any byte)
  const aligned = bytes.byteOffset % Ctor.BYTES_PER_ELEMENT === 0;
  const arr = aligned
    ? new Ctor(bytes.buffer, bytes.byteOffset, n)
    : new Ctor(bytes.slice().buffer, 0, n);
  arr.shape = msg.shape;
  return arr;
}

export function isWire(value) {
  return value != null && typeof value === "object" && "dtype" in value && "buffer" in value;
}

/** Decode every wire message inside a (nested) object or array. */
export function decodeAll(value) {
  if (isWire(value)) return decode(value);
  if (Array.isArray(value)) return value.map(decodeAll);
  if (value != null && typeof value === "object" && !ArrayBuffer.isView(value)) {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeAll(v);
    return out;
  }
  return value;
}
