// A minimal, offline widget runtime for the static HTML export (no kernel, no CDN): reads the
// standard ipywidgets embed state (application/vnd.jupyter.widget-state+json), creates models
// with the anywidget model API (get/set/on/off/save_changes, widget_manager.get_model), imports
// each view's ES module from its embedded `_esm` and renders the embedded views.
import { base64ToBytes } from "./lib/wire.js";

function deepEqual(a, b) {
  if (a === b) return true;
  if (a == null || b == null || typeof a !== "object" || typeof b !== "object") return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => deepEqual(a[k], b[k]));
}

export class StaticModel {
  constructor(id, attributes, manager) {
    this.model_id = id;
    this.attributes = attributes;
    this.widget_manager = manager;
    this.listeners = new Map();
  }
  get(key) {
    return this.attributes[key];
  }
  set(key, value) {
    const old = this.attributes[key];
    this.attributes[key] = value;
    if (!deepEqual(old, value)) {
      this.emit(`change:${key}`, value);
      this.emit("change", value);
    }
  }
  on(name, cb) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(cb);
  }
  off(name, cb) {
    if (name == null) this.listeners.clear();
    else if (cb == null) this.listeners.delete(name);
    else if (this.listeners.has(name)) this.listeners.get(name).delete(cb);
  }
  emit(name, value) {
    for (const cb of [...(this.listeners.get(name) || [])]) cb(this, value);
  }
  save_changes() {}
  send() {}
}

function setPath(obj, path, value) {
  let o = obj;
  for (let i = 0; i < path.length - 1; i++) o = o[path[i]];
  o[path[path.length - 1]] = value;
}

/** Models of an embed state ({model_id: {model_name, state, buffers}}). */
export function createModels(state) {
  const models = new Map();
  const manager = {
    get_model: async (id) => {
      const m = models.get(id);
      if (!m) throw new Error(`landscape_widgets runtime: no model ${id} in the embedded state`);
      return m;
    },
  };
  for (const [id, entry] of Object.entries(state)) {
    const attrs = { ...entry.state };
    for (const buf of entry.buffers || []) {
      const bytes = buf.encoding === "base64" ? base64ToBytes(buf.data) : new TextEncoder().encode(buf.data);
      setPath(attrs, buf.path, new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    }
    models.set(id, new StaticModel(id, attrs, manager));
  }
  return { models, manager };
}

export function makeHost(models) {
  return {
    async getModel(ref) {
      const id = String(ref).replace(/^anywidget:/, "").replace(/^IPY_MODEL_/, "");
      const m = models.get(id);
      if (!m) throw new Error(`landscape_widgets runtime: no model ${id}`);
      return m;
    },
  };
}

async function importEsm(source) {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  try {
    return await import(/* @vite-ignore */ url);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The widget object of an ES module, as anywidget >= 0.9 reads it: `export default {render}`
 *  or a default (async) function returning it; a bare `export function render` is the old form. */
export async function widgetOf(mod) {
  if (typeof mod.default === "function") return await mod.default();
  if (mod.default && typeof mod.default === "object") return mod.default;
  if (mod.render) return mod;
  throw new Error("landscape_widgets runtime: the module has no default export with render");
}

export async function renderAll(doc = document) {
  globalThis.__LW_STATIC__ = true;
  const stateEl = doc.querySelector('script[type="application/vnd.jupyter.widget-state+json"]');
  const { state } = JSON.parse(stateEl.textContent);
  const { models } = createModels(state);
  const host = makeHost(models);
  for (const script of doc.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')) {
    const spec = JSON.parse(script.textContent);
    const model = models.get(spec.model_id);
    const el = doc.createElement("div");
    el.className = "lw-embedded";
    script.replaceWith(el);
    const widget = await widgetOf(await importEsm(model.get("_esm")));
    if (widget.initialize) await widget.initialize({ model, host });
    await widget.render({ model, el, host });
  }
  // milliseconds since navigation start when every view was drawn (read by the browser tests)
  doc.body.setAttribute("data-lw-rendered", performance.now().toFixed(1));
}

if (typeof document !== "undefined" && document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]')) {
  renderAll().catch((err) => {
    document.body.setAttribute("data-lw-error", String(err));
    console.error(err);
  });
}
