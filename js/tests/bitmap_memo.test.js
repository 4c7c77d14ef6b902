import { describe, expect, it } from "vitest";
import { BitmapMemo } from "../src/lib/bitmap.js";

describe("BitmapMemo", () => {
  it("returns the URL kept for the same key and ids (by content), after other drawings", () => {
    const memo = new BitmapMemo(3);
    memo.set("600|400|linear", new Int32Array([3, 1, -1, 7]), "url-a");
    memo.set("600|400|linear", new Int32Array([3, -1]), "url-b");
    expect(memo.get("600|400|linear", new Int32Array([3, 1, -1, 7]))).toBe("url-a");
    expect(memo.get("600|400|linear", new Int32Array([3, -1]))).toBe("url-b");
    // another axis, other ids or another order of the same ids: not the same drawing
    expect(memo.get("600|400|log", new Int32Array([3, -1]))).toBeNull();
    expect(memo.get("600|400|linear", new Int32Array([3, 1, -1, 8]))).toBeNull();
    expect(memo.get("600|400|linear", new Int32Array([1, 3, -1, 7]))).toBeNull();
  });

  it("forgets the least recently used past its size", () => {
    const memo = new BitmapMemo(2);
    memo.set("k", [1], "one");
    memo.set("k", [2], "two");
    expect(memo.get("k", [1])).toBe("one"); // now the most recent
    memo.set("k", [3], "three"); // evicts [2]
    expect(memo.get("k", [2])).toBeNull();
    expect(memo.get("k", [1])).toBe("one");
    expect(memo.get("k", [3])).toBe("three");
    expect(memo.entries.length).toBe(2);
  });
});
