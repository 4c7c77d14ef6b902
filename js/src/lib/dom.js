// The one way a view puts anything into the page. Elements are made with createElement(NS),
// strings become text nodes (textContent), attributes go through setAttribute / style
// properties; nothing here parses markup. A key, metric name, label or axis name read from a
// file or a collection is therefore always shown as the characters it is and can never become an
// element or run a script. js/tests/security.test.js fails the build if any source writes
// markup through the element HTML setters (anything but an empty string) or another parser.

export const SVG_NS = "http://www.w3.org/2000/svg";

// Attributes that load or run something: handlers are attached with addEventListener in code,
// and the only URLs a view sets are images it drew itself (canvas data URLs).
const HANDLER = /^on/i;
const URL_ATTRS = new Set(["href", "xlink:href", "src", "action", "formaction"]);
const SAFE_URL = /^(data:image\/(png|jpeg|gif|webp);|#|$)/i;

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "text") {
      node.textContent = value == null ? "" : String(value);
    } else if (value == null) {
      continue;
    } else if (HANDLER.test(name)) {
      throw new Error(`landscape_widgets: attribute ${JSON.stringify(name)}: event handlers are attached with addEventListener, never as attributes`);
    } else if (name === "style" && typeof value === "object") {
      for (const [prop, v] of Object.entries(value)) if (v != null) node.style.setProperty(prop, String(v));
    } else {
      setAttr(node, name, value);
    }
  }
  return node;
}

/** setAttribute, refusing event handlers and URLs other than drawn images. */
export function setAttr(node, name, value) {
  if (HANDLER.test(name)) {
    throw new Error(`landscape_widgets: attribute ${JSON.stringify(name)}: event handlers are attached with addEventListener, never as attributes`);
  }
  const text = String(value);
  if (URL_ATTRS.has(name.toLowerCase()) && !SAFE_URL.test(text.trim())) {
    throw new Error(`landscape_widgets: attribute ${name}: expected a data:image URL drawn by the view, got ${JSON.stringify(text.slice(0, 40))}`);
  }
  node.setAttribute(name, text);
  return node;
}

/** An SVG element with attributes (`text` sets its text), appended to `parent` when given.
 *  During a redraw (see `beginReuse`) an element of the previous drawing made with the same
 *  tag and attributes is taken instead of a new one (an update, not a rebuild). */
export function svg(tag, attrs = {}, parent = null) {
  if (reuse && parent) return reusedSvg(tag, attrs, parent);
  const node = setAttrs(document.createElementNS(SVG_NS, tag), attrs);
  if (parent) parent.appendChild(node);
  return node;
}

/** An SVG element that is never taken from the previous drawing (one that is changed after it
 *  is made: listeners, classes or attributes set later), appended to `parent` when given. */
export function svgFresh(tag, attrs = {}, parent = null) {
  const node = setAttrs(document.createElementNS(SVG_NS, tag), attrs);
  if (parent) {
    if (reuse) place(parent, node);
    else parent.appendChild(node);
  }
  return node;
}

// ---- keyed reuse of a redrawn SVG ----------------------------------------------------------
// A view redraws by running its whole drawing code again. Between `beginReuse(root)` and
// `endReuse()`, `svg(tag, attrs, parent)` looks up an element of the previous drawing made with
// the same tag and attributes (its key, kept on the element when it was made) and keeps it;
// only new elements are made and only the stale ones removed, and a kept element is moved only
// when its place changed. An element whose key matches is exactly what the call would make:
// attributes set later (data-basin, aria-selected) are the Highlighter's, which sets them again
// on every redraw; elements changed after they are made come from `svgFresh` (never kept).
let reuse = null;

// Long attribute values (a noisy map's band paths: hundreds of KB of path data) enter a key as
// a number: a key built from the text itself is a new string each redraw, hashed and compared
// in full (~1 ms per 100 KB). The number is looked up by the text, which a view passes again as
// the same string (kept with its drawing), whose hash the engine keeps: equal texts, equal
// numbers. Numbers are never reused (a cleared table counts on), so a key never matches an
// element made with another text.
const LONG_VALUE = 256;
export const MAX_INTERNED = 4096;
const interned = new Map();
let nextInterned = 0;

function internedId(text) {
  let id = interned.get(text);
  if (id === undefined) {
    if (interned.size >= MAX_INTERNED) interned.clear();
    interned.set(text, (id = ++nextInterned));
  }
  return id;
}

function keyOf(tag, attrs) {
  let key = tag;
  for (const name in attrs) {
    const value = attrs[name];
    if (value == null) continue;
    const text = typeof value === "object" ? JSON.stringify(value) : value;
    key += "\u0001" + name + (typeof text === "string" && text.length > LONG_VALUE ? "\u0003" + internedId(text) : "\u0002" + text);
  }
  return key;
}

function place(parent, node) {
  let kids = reuse.kids.get(parent);
  if (!kids) reuse.kids.set(parent, (kids = []));
  kids.push(node);
  node.__lwPass = reuse.pass;
  node.__lwParent = parent;
}

function reusedSvg(tag, attrs, parent) {
  const key = keyOf(tag, attrs);
  const list = reuse.pool.get(key);
  let node = null;
  if (list && list.next < list.length) {
    node = list[list.next++];
    reuse.kept.push(node);
  } else {
    node = setAttrs(document.createElementNS(SVG_NS, tag), attrs);
    reuse.made++;
  }
  node.__lwKey = key;
  place(parent, node);
  return node;
}

let passes = 0;
/** Most dropped elements kept aside for the next drawing of a root. */
const SPARE_LIMIT = 20000;

/**
 * Start a redraw of `root`'s content: every element made by `svg` during the last drawing is
 * offered for reuse by key. Call `endReuse()` when the drawing code is done.
 */
export function beginReuse(root) {
  const pool = new Map();
  const stale = [];
  // elements made by `svg` (they carry their key) are offered; anything else (made by
  // svgFresh, or outside a redraw) is removed with its content
  const walk = (node) => {
    for (let c = node.firstElementChild; c; c = c.nextElementSibling) {
      const key = c.__lwKey;
      if (key === undefined) {
        stale.push(c);
        continue;
      }
      let list = pool.get(key);
      if (!list) {
        pool.set(key, (list = []));
        list.next = 0;
      }
      list.push(c);
      // a foreignObject's content (a live canvas, lib/bitmap.js) is its owner's, not drawn
      // by `svg`: it stays with its foreignObject
      if (c.localName !== "foreignObject") walk(c);
    }
  };
  walk(root);
  // then the elements the drawing before dropped (a slider dragged back draws them again)
  if (root.__lwSpare) {
    for (const [key, nodes] of root.__lwSpare) {
      let list = pool.get(key);
      if (!list) {
        pool.set(key, (list = []));
        list.next = 0;
      }
      for (const node of nodes) list.push(node);
    }
    root.__lwSpare = null;
  }
  reuse = { root, pool, stale, kids: new Map(), kept: [], made: 0, pass: ++passes, outer: reuse };
}

/** Fewest elements that leave or join one parent for it to be rebuilt in one call. */
const BULK = 32;

/** Do more of `parent`'s children leave or join (`kids`: its list in this drawing, `leaving`:
 *  how many leave) than stay in place? */
function movedMost(parent, kids, leaving) {
  let staying = 0;
  if (kids) for (const node of kids) if (node.parentNode === parent) staying++;
  const joining = (kids ? kids.length : 0) - staying;
  return leaving + joining > staying;
}

/** Is every child of `parent` an element of this drawing (pass) or one that leaves? */
function onlyOurs(parent, pass) {
  for (let c = parent.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== 1 || (c.__lwPass !== pass && c.__lwLeaving !== pass)) return false;
  }
  return true;
}

/** Finish a redraw begun by `beginReuse`: remove what was not reused, place what was made.
 *  Returns {kept: [elements reused], made, removed}. */
export function endReuse() {
  const r = reuse;
  if (!r) return { kept: [], made: 0, removed: 0 };
  reuse = r.outer;
  let removed = 0;
  for (const node of r.stale) {
    node.remove();
    removed++;
  }
  // what was not reused leaves the page; kept aside (detached) for the next drawing only
  const spare = new Map();
  let spared = 0;
  const leaving = [];
  const leftIn = new Map(); // parent -> how many of its children leave
  for (const [key, list] of r.pool) {
    if (list.next >= list.length) continue;
    const rest = list.slice(list.next);
    for (const node of rest) {
      const parent = node.parentNode;
      if (parent) {
        node.__lwLeaving = r.pass;
        leaving.push(node);
        leftIn.set(parent, (leftIn.get(parent) || 0) + 1);
      }
    }
    if (spared < SPARE_LIMIT) {
      spare.set(key, rest);
      spared += rest.length;
    }
  }
  r.root.__lwSpare = spare;
  // a parent that loses or gains more children than it keeps (a slider moved: thousands of
  // bars leave or come back, a few stay) gets its new list in one replaceChildren: removing
  // or inserting thousands of elements one by one cost ~60 ms a move. Only a parent whose
  // every child is this drawing's or leaves (nothing else would be lost).
  const rebuilt = new Set();
  for (const [parent, n] of leftIn) {
    if (n > BULK && movedMost(parent, r.kids.get(parent), n) && onlyOurs(parent, r.pass)) rebuilt.add(parent);
  }
  for (const [parent, kids] of r.kids) {
    if (!rebuilt.has(parent) && kids.length > BULK && movedMost(parent, kids, leftIn.get(parent) || 0) && onlyOurs(parent, r.pass)) rebuilt.add(parent);
  }
  for (const node of leaving) {
    if (node.parentNode && !rebuilt.has(node.parentNode)) {
      node.remove();
      removed++;
    }
  }
  for (const parent of rebuilt) {
    removed += leftIn.get(parent) || 0;
    const kids = r.kids.get(parent) || [];
    if (kids.length < 30000) parent.replaceChildren(...kids);
    else {
      const all = document.createDocumentFragment();
      for (const node of kids) all.appendChild(node);
      parent.replaceChildren(all);
    }
  }
  for (const [parent, kids] of r.kids) {
    if (rebuilt.has(parent)) continue;
    let cursor = parent.firstChild;
    for (const node of kids) {
      // skip what is not this parent's in this drawing (text, elements placed elsewhere)
      while (cursor && cursor !== node && (cursor.__lwPass !== r.pass || cursor.__lwParent !== parent)) cursor = cursor.nextSibling;
      if (cursor === node) cursor = cursor.nextSibling;
      else parent.insertBefore(node, cursor);
    }
  }
  return { kept: r.kept, made: r.made, removed };
}

/** An HTML element with attributes (`text` sets its text; `style` may be an object of CSS
 *  properties), appended to `parent` when given. */
export function html(tag, attrs = {}, parent = null) {
  const node = setAttrs(document.createElement(tag), attrs);
  if (parent) parent.appendChild(node);
  return node;
}

/** Append `value` as a text node (any value: it is shown as its String()). */
export function text(parent, value) {
  return parent.appendChild(document.createTextNode(value == null ? "" : String(value)));
}

/** A bold run inside a line of `writeLines`. */
export const bold = (value) => ({ bold: value });

/**
 * Replace the content of `node` by lines of text separated by <br>. A line is a string or an
 * array of runs, each a string or bold(string); null lines are skipped.
 */
export function writeLines(node, lines) {
  node.replaceChildren();
  let first = true;
  for (const line of lines) {
    if (line == null) continue;
    if (!first) node.appendChild(document.createElement("br"));
    first = false;
    for (const run of Array.isArray(line) ? line : [line]) {
      if (run != null && typeof run === "object" && "bold" in run) html("b", { text: run.bold }, node);
      else text(node, run);
    }
  }
  return node;
}

/** Show tooltip `tip` (absolutely placed in `root`) with `lines` next to the pointer of `ev`. */
export function showTooltip(tip, root, ev, lines) {
  writeLines(tip, lines);
  tip.style.display = "block";
  const b = root.getBoundingClientRect();
  tip.style.left = `${ev.clientX - b.left + 12}px`;
  tip.style.top = `${ev.clientY - b.top + 12}px`;
}

export function hideTooltip(tip) {
  tip.style.display = "none";
}

/**
 * Fill a <select> with options: items are values, or [value, label] pairs; `blank` adds a first
 * option of value "" with that label. Selects `value`. Options that are already those are kept,
 * and the value is set only when it changes: a redraw (a live Gallery's, as entries arrive)
 * then leaves a menu the user has open alone, and setting a menu's value, even to the one it
 * has, makes the browser lay out the page then and there.
 */
export function setOptions(select, items, value, blank = null) {
  const wanted = items.map((item) => (Array.isArray(item) ? item : [item, item]).map(String));
  if (blank != null) wanted.unshift(["", String(blank)]);
  const shown = select.options;
  const same = shown.length === wanted.length
    && wanted.every(([v, label], i) => shown[i].value === v && shown[i].textContent === label);
  if (!same) {
    select.replaceChildren();
    for (const [v, label] of wanted) html("option", { value: v, text: label }, select);
  }
  const chosen = value == null ? "" : String(value);
  if (select.value !== chosen) select.value = chosen;
}

/** A legend item: a colour swatch and its label. */
export function swatch(parent, color, label, cls = "lw-swatch") {
  const item = html("span", {}, parent);
  html("span", { class: cls, style: { background: color } }, item);
  text(item, label);
  return item;
}
