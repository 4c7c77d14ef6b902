import { describe, expect, it } from "vitest";
import { decode, decodeAll, base64ToBytes } from "../src/lib/wire.js";
import { w } from "./fixtures.js";

describe("wire decoding", () => {
  it("decodes float32 and int32 DataViews with their shape", () => {
    const a = decode(w([1, 2, 3, 4, 5, 6], "float32", [2, 3]));
    expect(a).toBeInstanceOf(Float32Array);
    expect(Array.from(a)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(decode(w([-1, 7], "int32")))).toEqual([-1, 7]);
  });

  it("keeps NaN and infinities", () => {
    const a = decode(w([NaN, Infinity, -Infinity], "float64"));
    expect(Number.isNaN(a[0])).toBe(true);
    expect(a[1]).toBe(Infinity);
    expect(a[2]).toBe(-Infinity);
  });

  it("copies unaligned views", () => {
    const bytes = new Uint8Array(9);
    new Float32Array(bytes.buffer, 0, 2).set([1.5, -2]);
    const shifted = new Uint8Array(9);
    shifted.set(bytes.subarray(0, 8), 1);
    const a = decode({ dtype: "float32", shape: [2], buffer: new DataView(shifted.buffer, 1, 8) });
    expect(Array.from(a)).toEqual([1.5, -2]);
  });

  it("decodes base64 strings (embedded state)", () => {
    const b64 = Buffer.from(new Int32Array([3, 4]).buffer).toString("base64");
    expect(Array.from(decode({ dtype: "int32", shape: [2], buffer: b64 }))).toEqual([3, 4]);
    expect(Array.from(base64ToBytes("AQI="))).toEqual([1, 2]);
  });

  it("rejects unknown dtypes and wrong lengths", () => {
    expect(() => decode({ dtype: "complex64", shape: [1], buffer: new ArrayBuffer(8) })).toThrow(/unknown dtype/);
    expect(() => decode({ dtype: "float32", shape: [3], buffer: new ArrayBuffer(8) })).toThrow(/do not hold 3/);
  });

  it("decodes nested objects and lists, leaving scalars", () => {
    const out = decodeAll({ a: w([1]), b: [w([2], "int32")], c: 5, d: null });
    expect(Array.from(out.a)).toEqual([1]);
    expect(Array.from(out.b[0])).toEqual([2]);
    expect(out.c).toBe(5);
    expect(out.d).toBe(null);
  });
});
