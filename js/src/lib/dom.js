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

/** An SVG element with attributes (`text` sets its text), appended to `parent` when given. */
export function svg(tag, attrs = {}, parent = null) {
  const node = setAttrs(document.createElementNS(SVG_NS, tag), attrs);
  if (parent) parent.appendChild(node);
  return node;
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
 * option of value "" with that label. Selects `value`.
 */
export function setOptions(select, items, value, blank = null) {
  select.replaceChildren();
  if (blank != null) html("option", { value: "", text: blank }, select);
  for (const item of items) {
    const [v, label] = Array.isArray(item) ? item : [item, item];
    html("option", { value: v, text: label }, select);
  }
  select.value = value == null ? "" : String(value);
}

/** A legend item: a colour swatch and its label. */
export function swatch(parent, color, label, cls = "lw-swatch") {
  const item = html("span", {}, parent);
  html("span", { class: cls, style: { background: color } }, item);
  text(item, label);
  return item;
}
