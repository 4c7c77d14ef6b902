// The merge tree as the browser sees it: minima, persistence, parents; live simplification by
// relabelling basins through parent_minimum chains (elder rule: parents outlive children, and
// minima are sorted by value, so one forward pass finds every representative).
import { decodeAll } from "./wire.js";
import { landscapeProfile } from "./profile_geometry.js";
import { barcodeRows, mergeTreeLayout } from "./tree_geometry.js";

/** The key a profile is kept under (see Topology.profile). */
const profileKey = (t, kind) => `profile:${kind}:${t}`;

/** Number of Topology objects decoded so far (tests check one decode per shared model). */
export const decodeCount = { value: 0 };

export class Topology {
  constructor(payload) {
    const p = decodeAll(payload);
    decodeCount.value++;
    this.shape = p.shape;
    this.axes = p.axes;
    this.valueMin = p.value_min;
    this.valueMax = p.value_max;
    this.minima = p.minima;
    this.minimumValue = p.minimum_value;
    this.persistence = p.persistence;
    this.parentMinimum = p.parent_minimum;
    this.deathSaddle = p.death_saddle;
    this.basinSize = p.basin_size;
    this.saddles = p.saddles;
    this.saddleValue = p.saddle_value;
    this.levels = p.levels || [];
    this.barcode = p.barcode || null;
    this.points = p.points || null; // (n, dims) sample coordinates of a scattered landscape
    this.centre = p.centre || null; // the trained model: {vertex, value, basin}
    // the compact model (TopologyModel): per-minimum band histograms and value sums
    this.bands = p.bands || null;
    this.valueSum = p.value_sum || null;
    this.nNonfinite = p.n_nonfinite || 0;
    this.finiteCount = new Float64Array(this.minima.length);
    if (this.bands) {
      const { offsets, count } = this.bands.linear;
      for (let i = 0; i < this.minima.length; i++) {
        for (let e = offsets[i]; e < offsets[i + 1]; e++) this.finiteCount[i] += count[e];
      }
    }
    this._geometry = new Map(); // "profile:linear:t" ... -> geometry, computed on demand
    this.index = new Map();
    for (let i = 0; i < this.minima.length; i++) this.index.set(this.minima[i], i);
    this.saddleIndex = new Map();
    for (let i = 0; i < this.saddles.length; i++) this.saddleIndex.set(this.saddles[i], i);
    this._cache = { t: NaN, rep: null, size: null };
    this._recent = []; // the last thresholds' simplifications, newest first
    let maxPers = 0;
    for (const v of this.persistence) if (Number.isFinite(v) && v > maxPers) maxPers = v;
    this.maxPersistence = maxPers;
  }

  /** Is minimum i's pair shown at threshold t? (hidden iff persistence < t) */
  visible(i, t) {
    return !(this.persistence[i] < t);
  }

  /** Representative minimum (vertex id) and merged sizes of every minimum at threshold t. */
  simplified(t) {
    if (this._cache.t === t) return this._cache;
    // the views of one redraw ask at t and at their level-of-detail thresholds in turn: the
    // last few are kept so that they do not evict each other (each costs 3 passes over the minima)
    const known = this._recent.find((c) => c.t === t);
    if (known) return (this._cache = known);
    const m = this.minima.length;
    const repIdx = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const parent = this.parentMinimum[i];
      repIdx[i] = this.visible(i, t) || parent < 0 ? i : repIdx[this.index.get(parent)];
    }
    const size = new Float64Array(m);
    for (let i = 0; i < m; i++) size[repIdx[i]] += this.basinSize[i];
    const rep = new Int32Array(m);
    for (let i = 0; i < m; i++) rep[i] = this.minima[repIdx[i]];
    this._cache = { t, rep, size, repIdx };
    this._recent.unshift(this._cache);
    if (this._recent.length > 4) this._recent.pop();
    return this._cache;
  }

  /** The basin id shown at threshold t for basin id b (b itself if not a minimum). */
  rep(b, t) {
    const i = this.index.get(b);
    return i === undefined ? b : this.simplified(t).rep[i];
  }

  /** Index of the precomputed level to draw at threshold t (largest threshold <= t). */
  levelIndex(t) {
    let best = 0;
    for (let k = 0; k < this.levels.length; k++) if (this.levels[k].threshold <= t) best = k;
    return best;
  }

  /** Geometry computed once per (kind, threshold) and kept (a slider revisits thresholds). */
  _cached(key, make) {
    let g = this._geometry.get(key);
    if (g === undefined) {
      if (this._geometry.size > 64) this._geometry.clear(); // bound the memory of long sessions
      g = make();
      this._geometry.set(key, g);
    }
    return g;
  }

  /** Landscape profile at threshold t on the model's "linear" or "log" band edges. */
  profile(t, kind = "linear") {
    const k = kind === "linear" ? "linear" : "log";
    return this._cached(profileKey(t, k), () => landscapeProfile(this, t, k));
  }

  /** Has the profile at threshold t on the "linear" or "log" edges been computed (and kept)? */
  hasProfile(t, kind = "linear") {
    return this._geometry.has(profileKey(t, kind === "linear" ? "linear" : "log"));
  }

  /** Merge-tree layout at threshold t. */
  treeLayout(t) {
    return this._cached(`tree:${t}`, () => mergeTreeLayout(this, t));
  }

  /** Barcode rows of the tree simplified at threshold t (0: the full tree). */
  barcodeRows(t = 0) {
    return this._cached(`barcode:${t}`, () => barcodeRows(this, t));
  }

  /** Coordinates of a flat vertex id: its sample's (scattered) or its grid point's. */
  coords(v) {
    if (this.points) return this.sampleCoords(v);
    const out = new Array(this.shape.length);
    for (let d = this.shape.length - 1; d >= 0; d--) {
      const n = this.shape[d];
      out[d] = this.axes[d][v % n];
      v = Math.floor(v / n);
    }
    return out;
  }

  /** Coordinates of sample v of a scattered landscape (row v of `points`). */
  sampleCoords(v) {
    const dims = this.points.shape[1];
    return Array.from(this.points.subarray(v * dims, (v + 1) * dims));
  }

  /** The trained model (grid centre) at threshold t: {vertex, value, basin (shown id)}. */
  trainedModel(t) {
    if (!this.centre) return null;
    return { ...this.centre, basin: this.rep(this.centre.basin, t) };
  }

  /** Tooltip facts of basin b at threshold t. */
  basinInfo(b, t) {
    const i = this.index.get(b);
    if (i === undefined) return null;
    const s = this.simplified(t);
    return {
      basin: b,
      loss: this.minimumValue[i],
      persistence: this.persistence[i],
      size: s.size[i],
      total: this.shape.reduce((a, n) => a * n, 1),
      coords: this.coords(b),
    };
  }
}
