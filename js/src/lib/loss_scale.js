// The loss-axis scale every view shares: "linear", "log" or "auto".
//
// Resolution (mirrored in landscape_widgets/widgets/_scale.py):
//   * "linear" -> linear.
//   * "log"    -> log10(v) when every finite value is positive ("log"); otherwise the shifted log
//                 log10(v - L0) with L0 = min - SHIFT * (max - min) ("shifted-log"): the global
//                 minimum sits SHIFT of the range above L0, so the axis spans ~3 decades of
//                 "loss above L0" and is labelled "loss − L0 (log)".
//   * "auto"   -> the log kind above when the dynamic range 1 + (max - min) / |min| (= max / min
//                 for positive values, infinite when min = 0) exceeds 10^AUTO_DECADES, else linear.
// A constant landscape (max <= min) or one without finite values is always linear.
import { svg, html } from "./dom.js";
import { ticks as linearTicks, fmt } from "./scales.js";

export const SCALES = ["linear", "log", "auto"];
export const AUTO_DECADES = 2;
export const SHIFT = 1e-3;

/** 1 + (max - min) / |min|: max / min for positive values; Infinity when min is 0. */
export function dynamicRange(vmin, vmax) {
  return vmin === 0 ? Infinity : 1 + (vmax - vmin) / Math.abs(vmin);
}

/** The kind a scale setting resolves to for values in [vmin, vmax]: "linear", "log" or "shifted-log". */
export function resolveScale(scale, vmin, vmax) {
  if (!SCALES.includes(scale)) {
    throw new Error(`landscape_widgets: scale: expected one of ${SCALES.join(", ")}; got ${JSON.stringify(scale)}`);
  }
  if (scale === "linear" || !Number.isFinite(vmin) || !Number.isFinite(vmax) || !(vmax > vmin)) return "linear";
  const kind = vmin > 0 ? "log" : "shifted-log";
  if (scale === "log") return kind;
  return dynamicRange(vmin, vmax) > 10 ** AUTO_DECADES ? kind : "linear";
}

/**
 * Transform of a resolved kind: {kind, offset, fwd(v) -> t, inv(t) -> v, label(name)}.
 * Linear scales are built on t, so log kinds are straight lines in log10 space.
 */
export function lossTransform(kind, vmin, vmax) {
  if (kind === "log") {
    const floor = vmin * 1e-6;
    return { kind, offset: 0, fwd: (v) => Math.log10(Math.max(v, floor)), inv: (t) => 10 ** t,
      label: (name) => `${name} (log)` };
  }
  if (kind === "shifted-log") {
    const offset = vmin - SHIFT * (vmax - vmin);
    const floor = (vmin - offset) * 1e-6;
    const shown = offset < 0 ? `+ ${tickLabel(-offset, 1e-3)}` : `− ${tickLabel(offset, 1e-3)}`;
    return { kind, offset, fwd: (v) => Math.log10(Math.max(v - offset, floor)), inv: (t) => offset + 10 ** t,
      label: (name) => `${name} ${shown} (log)` };
  }
  return { kind: "linear", offset: 0, fwd: (v) => v, inv: (t) => t, label: (name) => name };
}

/** Resolve `scale` for [vmin, vmax] (the whole landscape) and return its transform. */
export function lossScaleOf(scale, vmin, vmax) {
  return lossTransform(resolveScale(scale, vmin, vmax), vmin, vmax);
}

/** Round tick values between positive lo and hi: decades (thinned to ~count), else 1-2-5 steps. */
export function decadeTicks(lo, hi, count = 5) {
  if (!(lo > 0) || !(hi > 0)) return [];
  if (hi < lo) [lo, hi] = [hi, lo];
  const k0 = Math.ceil(Math.log10(lo) - 1e-9);
  const k1 = Math.floor(Math.log10(hi) + 1e-9);
  const n = k1 - k0 + 1;
  if (n >= 3) {
    const step = Math.max(1, Math.ceil(n / Math.max(1, count)));
    const out = [];
    for (let k = k0; k <= k1; k += step) out.push(Number(`1e${k}`));
    return out;
  }
  const out = [];
  for (let k = k0 - 1; k <= k1; k++) {
    for (const m of n === 2 ? [1, 3] : [1, 2, 5]) {
      const v = Number(`${m}e${k}`);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
    }
  }
  return out.length >= 2 ? out : linearTicks(lo, hi, count);
}

/** Compact tick label: 1e-3, 0.01, 0.1, 1, 10, 100, 1000, 1e4, 2e-5, 0.35: at most four
 *  characters for a decade, so that a left axis's labels leave room for its name. Values
 *  below `small` take the exponent form (text that has room, the log offset in an axis's name,
 *  passes 1e-3: "loss + 0.001"). */
export function tickLabel(v, small = 1e-2) {
  if (!Number.isFinite(v)) return fmt(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a >= 1e4 || a < small) {
    const k = Math.floor(Math.log10(a) + 1e-9);
    return `${Number((v / 10 ** k).toPrecision(2))}e${k}`;
  }
  return String(Number(v.toPrecision(3)));
}

/**
 * Scale from loss values to pixels: linear in the transform T over [lo, hi] (loss values,
 * padded by `pad` of the span in t-space). Has invert, domain (loss), range, ticks(count),
 * format(v) and label(name) for the axis.
 */
export function lossAxisScale(T, [lo, hi], [r0, r1], pad = 0.05) {
  let t0 = T.fwd(lo);
  let t1 = T.fwd(hi);
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) [t0, t1] = [0, 1];
  if (t1 === t0) [t0, t1] = [t0 - 0.5, t1 + 0.5];
  const p = (t1 - t0) * pad;
  t0 -= p;
  t1 += p;
  const s = (v) => r0 + ((T.fwd(v) - t0) / (t1 - t0)) * (r1 - r0);
  s.invert = (px) => T.inv(t0 + ((px - r0) / (r1 - r0 || 1)) * (t1 - t0));
  s.domain = [T.inv(t0), T.inv(t1)];
  s.range = [r0, r1];
  s.kind = T.kind;
  s.label = T.label;
  if (T.kind === "linear") {
    s.ticks = (count = 5) => linearTicks(s.domain[0], s.domain[1], count);
    s.format = fmt;
  } else {
    const off = T.offset;
    s.ticks = (count = 5) => decadeTicks(s.domain[0] - off, s.domain[1] - off, count).map((e) => e + off);
    s.format = (v) => tickLabel(v - off);
  }
  return s;
}

/** Approximate width in px of a 12 px label (system-ui digits are ~0.6 em). */
export const labelWidth = (text) => 7.2 * String(text).length + 4;

/** Drop ticks whose labels would touch the previous kept one (bottom: by width; left: 16 px). */
export function thinTicks(values, s, side) {
  const kept = new Set();
  let last = -Infinity;
  let lastHalf = 0;
  for (const v of [...values].sort((a, b) => s(a) - s(b))) {
    const p = s(v);
    const half = side === "bottom" ? labelWidth(s.format(v)) / 2 : 8;
    if (p - half >= last + lastHalf + 2) {
      kept.add(v);
      last = p;
      lastHalf = half;
    }
  }
  return values.filter((v) => kept.has(v));
}

/** Left or bottom axis of a loss scale, ticks and label included. */
export function lossAxis(parent, s, side, { count = 5, name = "loss" } = {}) {
  const g = svg("g", { class: "lw-axis", "data-scale": s.kind }, parent);
  const [r0, r1] = s.range;
  // no more ticks than the axis has room for (12 px labels), and no two labels overlapping
  const room = Math.abs(r1 - r0) / (side === "bottom" ? 64 : 26);
  const values = thinTicks(s.ticks(Math.max(2, Math.min(count, Math.floor(room)))), s, side);
  if (side === "bottom") {
    svg("line", { x1: r0, x2: r1, y1: 0, y2: 0 }, g);
    for (const v of values) {
      const x = s(v);
      svg("line", { x1: x, x2: x, y1: 0, y2: 4 }, g);
      svg("text", { x, y: 14, "text-anchor": "middle" }, g).textContent = s.format(v);
    }
    svg("text", { x: (r0 + r1) / 2, y: 28, "text-anchor": "middle", class: "lw-label" }, g).textContent = s.label(name);
  } else {
    svg("line", { x1: 0, x2: 0, y1: r0, y2: r1 }, g);
    for (const v of values) {
      const y = s(v);
      svg("line", { x1: -4, x2: 0, y1: y, y2: y }, g);
      svg("text", { x: -6, y: y + 3, "text-anchor": "end" }, g).textContent = s.format(v);
    }
    svg("text", { x: 0, y: 0, "text-anchor": "middle", class: "lw-label",
      transform: `translate(-36,${(r0 + r1) / 2}) rotate(-90)` }, g).textContent = s.label(name);
  }
  return g;
}

/**
 * Segmented "loss scale" control (auto | linear | log). `onPick(scale)` is called on a click;
 * returns update(scale, kind) to show the current setting and what "auto" resolved to.
 */
export function scaleToggle(parent, onPick, title = "loss scale") {
  const box = html("span", { class: "lw-scale", role: "group", "aria-label": title }, parent);
  html("span", { class: "lw-scale-title", text: title }, box);
  const buttons = ["auto", "linear", "log"].map((name) => {
    const b = html("button", { type: "button", "data-scale": name, text: name }, box);
    b.addEventListener("click", () => onPick(name));
    return b;
  });
  return (scale, kind) => {
    for (const b of buttons) {
      const name = b.getAttribute("data-scale");
      b.setAttribute("aria-pressed", String(name === scale));
      if (name === "auto") b.textContent = scale === "auto" ? `auto: ${kind === "linear" ? "linear" : "log"}` : "auto";
    }
    box.setAttribute("data-kind", kind);
  };
}
