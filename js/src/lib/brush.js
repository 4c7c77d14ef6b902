// The one brush (click, box drag) and the listener bag shared by both frames: mountView's
// views and the self-drawing ones (frame.js), so that a click or a box means the same in
// every view and every listener a view adds comes off with it.
import { svg } from "./dom.js";

/**
 * Listeners that come off together: `on(model, "change:x", f)` (a widget model or a DOM
 * node), `add(dispose)` for anything else (a child view's cleanup, an observer); `dispose()`
 * removes them all, last first, once.
 */
export function disposers() {
  const list = [];
  return {
    on(target, event, fn) {
      if (typeof target.addEventListener === "function" && typeof target.on !== "function") {
        target.addEventListener(event, fn);
        list.push(() => target.removeEventListener(event, fn));
      } else {
        target.on(event, fn);
        list.push(() => target.off(event, fn));
      }
      return fn;
    },
    add(dispose) {
      if (typeof dispose === "function") list.push(dispose);
      return dispose;
    },
    dispose() {
      while (list.length) list.pop()();
    },
  };
}

/**
 * The one brush of every view: click and box drag on an SVG. `onBox(x0, y0, x1, y1, event)`
 * after a drag of more than 4 px, `onClick(event, x, y)` otherwise; `onMove(event, x, y)` on
 * every move; x, y are relative to the plot origin (`margin()`). The box is drawn into
 * `layer()` when given (the plot group), else into the SVG at the margin; `canBox()` false
 * turns drags into clicks. Returns a disposer.
 */
export function attachBrush(svgEl, margin, { onBox, onClick, onMove, onLeave, layer = null, canBox = () => true }) {
  const bag = disposers();
  let start = null;
  let rect = null;
  const local = (ev) => {
    const b = svgEl.getBoundingClientRect();
    const m = margin();
    return [ev.clientX - b.left - m.left, ev.clientY - b.top - m.top];
  };
  bag.on(svgEl, "pointerdown", (ev) => {
    if (ev.button !== 0) return;
    start = local(ev);
  });
  bag.on(svgEl, "pointermove", (ev) => {
    const [x, y] = local(ev);
    if (start && onBox && canBox() && Math.hypot(x - start[0], y - start[1]) > 4) {
      if (!rect) {
        rect = layer ? svg("rect", { class: "lw-brush" }, layer())
          : svg("rect", { class: "lw-brush", transform: `translate(${margin().left},${margin().top})` }, svgEl);
      }
      rect.setAttribute("x", Math.min(x, start[0]));
      rect.setAttribute("y", Math.min(y, start[1]));
      rect.setAttribute("width", Math.abs(x - start[0]));
      rect.setAttribute("height", Math.abs(y - start[1]));
    }
    if (onMove) onMove(ev, x, y);
  });
  bag.on(svgEl, "pointerup", (ev) => {
    if (!start) return;
    const [x, y] = local(ev);
    if (rect) {
      rect.remove();
      rect = null;
      onBox(Math.min(x, start[0]), Math.min(y, start[1]), Math.max(x, start[0]), Math.max(y, start[1]), ev);
    } else if (onClick) {
      onClick(ev, x, y);
    }
    start = null;
  });
  bag.on(svgEl, "pointerleave", () => {
    if (onLeave) onLeave();
  });
  return () => bag.dispose();
}
