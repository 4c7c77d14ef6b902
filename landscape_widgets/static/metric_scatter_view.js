var gt="http://www.w3.org/2000/svg",xt=/^on/i,Ft=new Set(["href","xlink:href","src","action","formaction"]),zt=/^(data:image\/(png|jpeg|gif|webp);|#|$)/i;function X(t,e){for(let[n,r]of Object.entries(e))if(n==="text")t.textContent=r==null?"":String(r);else{if(r==null)continue;if(xt.test(n))throw new Error(`landscape_widgets: attribute ${JSON.stringify(n)}: event handlers are attached with addEventListener, never as attributes`);if(n==="style"&&typeof r=="object")for(let[o,i]of Object.entries(r))i!=null&&t.style.setProperty(o,String(i));else Z(t,n,r)}return t}function Z(t,e,n){if(xt.test(e))throw new Error(`landscape_widgets: attribute ${JSON.stringify(e)}: event handlers are attached with addEventListener, never as attributes`);let r=String(n);if(Ft.has(e.toLowerCase())&&!zt.test(r.trim()))throw new Error(`landscape_widgets: attribute ${e}: expected a data:image URL drawn by the view, got ${JSON.stringify(r.slice(0,40))}`);return t.setAttribute(e,r),t}function m(t,e={},n=null){if($&&n)return Jt(t,e,n);let r=X(document.createElementNS(gt,t),e);return n&&n.appendChild(r),r}var $=null,Gt=256,Dt=4096,I=new Map,Vt=0;function Wt(t){let e=I.get(t);return e===void 0&&(I.size>=Dt&&I.clear(),I.set(t,e=++Vt)),e}function qt(t,e){let n=t;for(let r in e){let o=e[r];if(o==null)continue;let i=typeof o=="object"?JSON.stringify(o):o;n+=""+r+(typeof i=="string"&&i.length>Gt?""+Wt(i):""+i)}return n}function Kt(t,e){let n=$.kids.get(t);n||$.kids.set(t,n=[]),n.push(e),e.__lwPass=$.pass,e.__lwParent=t}function Jt(t,e,n){let r=qt(t,e),o=$.pool.get(r),i=null;return o&&o.next<o.length?(i=o[o.next++],$.kept.push(i)):(i=X(document.createElementNS(gt,t),e),$.made++),i.__lwKey=r,Kt(n,i),i}function x(t,e={},n=null){let r=X(document.createElement(t),e);return n&&n.appendChild(r),r}function mt(t,e){return t.appendChild(document.createTextNode(e==null?"":String(e)))}var yt=t=>({bold:t});function Yt(t,e){t.replaceChildren();let n=!0;for(let r of e)if(r!=null){n||t.appendChild(document.createElement("br")),n=!1;for(let o of Array.isArray(r)?r:[r])o!=null&&typeof o=="object"&&"bold"in o?x("b",{text:o.bold},t):mt(t,o)}return t}function bt(t,e,n,r){Yt(t,r),t.style.display="block";let o=e.getBoundingClientRect();t.style.left=`${n.clientX-o.left+12}px`,t.style.top=`${n.clientY-o.top+12}px`}function H(t){t.style.display="none"}function P(t,e,n,r=null){let o=e.map(l=>(Array.isArray(l)?l:[l,l]).map(String));r!=null&&o.unshift(["",String(r)]);let i=t.options;if(!(i.length===o.length&&o.every(([l,c],f)=>i[f].value===l&&i[f].textContent===c))){t.replaceChildren();for(let[l,c]of o)x("option",{value:l,text:c},t)}let s=n==null?"":String(n);t.value!==s&&(t.value=s)}function kt(t,e,n,r="lw-swatch"){let o=x("span",{},t);return x("span",{class:r,style:{background:e}},o),mt(o,n),o}function U(t,e){let[n,r]=t,[o,i]=e,a=r-n||1,s=l=>o+(l-n)/a*(i-o);return s.invert=l=>n+(l-o)/(i-o||1)*a,s.domain=[n,r],s.range=[o,i],s}function Q(t,e,n=5){if(!Number.isFinite(t)||!Number.isFinite(e))return[];if(e<t&&([t,e]=[e,t]),e===t)return[t];let r=(e-t)/Math.max(1,n),o=10**Math.floor(Math.log10(r)),i=r/o,a=o*(i>=7.5?10:i>=3.5?5:i>=1.5?2:1),s=[];for(let l=Math.ceil(t/a)*a;l<=e+a*1e-9;l+=a)s.push(Math.abs(l)<a*1e-9?0:l);return s}function j(t){if(t==null||Number.isNaN(t))return"\u2013";if(!Number.isFinite(t))return t>0?"\u221E":"-\u221E";let e=Math.abs(t);return e!==0&&(e>=1e5||e<.001)?t.toExponential(2):String(Number(t.toPrecision(4)))}function F(t,e=.05){let n=1/0,r=-1/0;for(let i of t)Number.isFinite(i)&&(i<n&&(n=i),i>r&&(r=i));if(n===1/0)return[0,1];if(r===n)return[n-.5,r+.5];let o=(r-n)*e;return[n-o,r+o]}function vt(t,{count:e=5,format:n=String}={}){let r=Math.min(...t.domain),o=Math.max(...t.domain),i=0;for(let a of Q(r,o,e))i=Math.max(i,String(n(a)).length);return 7*i}function tt(t,e,n,{count:r=5,label:o="",format:i=String,labelGap:a=38}={}){let s=m("g",{class:"lw-axis"},t),[l,c]=e.range,f=Math.min(...e.domain),p=Math.max(...e.domain),w=Q(f,p,r);if(n==="bottom"){m("line",{x1:l,x2:c,y1:0,y2:0},s);for(let u of w){let d=e(u);m("line",{x1:d,x2:d,y1:0,y2:4},s),m("text",{x:d,y:14,"text-anchor":"middle"},s).textContent=i(u)}o&&(m("text",{x:(l+c)/2,y:28,"text-anchor":"middle",class:"lw-label"},s).textContent=o)}else{m("line",{x1:0,x2:0,y1:l,y2:c},s);for(let u of w){let d=e(u);m("line",{x1:-4,x2:0,y1:d,y2:d},s),m("text",{x:-6,y:d+3,"text-anchor":"end"},s).textContent=i(u)}if(o){let u=m("text",{x:0,y:0,"text-anchor":"middle",class:"lw-label",transform:`translate(${-a},${(l+c)/2}) rotate(-90)`},s);u.textContent=o}}return s}var et="#d62728",G="#ff7f0e",y="#e6007e";var Xt=["#440154","#482878","#3e4989","#31688e","#26828e","#1f9e89","#35b779","#6ece58","#b5de2b","#fde725"];function St(t){let e=parseInt(t.slice(1),16);return[e>>16&255,e>>8&255,e&255]}function Zt(t,e){Number.isFinite(e)||(e=0),e=Math.min(1,Math.max(0,e));let n=e*(t.length-1),r=Math.min(t.length-2,Math.floor(n)),o=n-r,i=St(t[r]),a=St(t[r+1]),s=i.map((l,c)=>Math.round(l+(a[c]-l)*o));return`rgb(${s[0]},${s[1]},${s[2]})`}var R=t=>Zt(Xt,t);var z=["#4e79a7","#f28e2b","#59a14f","#e15759","#76b7b2","#edc948","#b07aa1","#ff9da7","#9c755f","#bab0ac"],Ht=t=>typeof t=="boolean"||typeof t=="number"&&Number.isInteger(t);function _t(t,e=(n,r)=>n<r?-1:n>r?1:0){let n=[...new Set(t)].sort(e),r=new Map,o=n.map(i=>Ht(i)?(Number(i)%10+10)%10:-1);return n.length&&o.every(i=>i>=0)&&new Set(o).size===n.length?n.forEach((i,a)=>r.set(i,z[o[a]])):n.length<=z.length?n.forEach((i,a)=>r.set(i,z[a])):n.forEach((i,a)=>r.set(i,R(a/(n.length-1)))),r}var Qt=`
.lw-view { --lw-bg: var(--jp-layout-color0, #fff); --lw-fg: var(--jp-ui-font-color1, #222);
  --lw-muted: var(--jp-ui-font-color2, #555); --lw-line: var(--jp-border-color1, #888);
  position: relative; display: block; max-width: 100%; box-sizing: border-box;
  font: 12px system-ui, sans-serif; color: var(--lw-fg); background: var(--lw-bg);
  vertical-align: top; user-select: none; }
.lw-view:focus { outline: none; } .lw-view:focus-visible { outline: 2px solid ${y}; }
.lw-view svg [tabindex]:focus { outline: none; }
.lw-view svg [tabindex]:focus-visible { stroke: var(--lw-fg); stroke-width: 2.5; }
.lw-head { display: flex; align-items: center; gap: 8px; margin: 2px 4px; min-height: 20px; }
.lw-title { font-weight: 600; font-size: 13px; flex: 1 1 auto; min-width: 0;
  overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.lw-export { display: inline-flex; gap: 2px; flex: none; }
.lw-export button { font: 12px system-ui, sans-serif; padding: 0 5px; line-height: 16px;
  border: 1px solid var(--lw-line); border-radius: 3px; background: var(--lw-bg);
  color: var(--lw-muted); cursor: pointer; opacity: .75; }
.lw-export button:hover, .lw-export button:focus-visible { opacity: 1; color: var(--lw-fg); }
.lw-view svg { display: block; overflow: visible; }
.lw-axis line { stroke: var(--lw-line); } .lw-axis text { fill: var(--lw-muted); font-size: 12px; }
.lw-label { font-size: 12px; fill: var(--lw-fg); }
.lw-aggregate-label { paint-order: stroke; stroke: var(--lw-bg); stroke-width: 3px; stroke-linejoin: round; }
.lw-tooltip { position: absolute; pointer-events: none; background: rgba(255,255,255,.95);
  border: 1px solid #999; border-radius: 3px; padding: 3px 6px; font-size: 12px; color: #222;
  white-space: nowrap; display: none; z-index: 10; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.lw-brush { fill: rgba(30,100,200,.12); stroke: #1e64c8; stroke-dasharray: 3 2; }
.lw-hit { cursor: pointer; }
.lw-min { fill: ${et}; stroke: #fff; stroke-width: .8; }
.lw-saddle { fill: ${G}; stroke: #fff; stroke-width: .8; }
.lw-bar { fill: #4a6fa5; } .lw-bar.lw-essential { fill: #23395d; stroke: var(--lw-line); stroke-width: .5; }
.lw-edge { fill: none; stroke: var(--jp-ui-font-color2, #556); stroke-width: 1.4; }
.lw-basin { stroke: #fff; stroke-width: .5; }
.lw-profile .lw-basin { stroke: rgba(15,25,45,.5); stroke-width: .8; stroke-linejoin: round; }
[aria-selected="true"].lw-bar, [aria-selected="true"].lw-point { fill: ${y}; }
[aria-selected="true"].lw-edge { stroke: ${y}; stroke-width: 3; }
[aria-selected="true"].lw-basin { stroke: ${y}; stroke-width: 2.5; }
[aria-selected="true"].lw-min, [aria-selected="true"].lw-saddle { stroke: ${y}; stroke-width: 2.5; }
.lw-point { fill: #4a6fa5; stroke: #fff; stroke-width: .8; }
.lw-joint-rings { fill: none; stroke: ${y}; stroke-width: 2.5; } .lw-joint-fills { fill: ${G}; }
.lw-controls { display: flex; gap: 8px; align-items: center; margin: 2px 4px; flex-wrap: wrap; }
.lw-controls label { display: flex; gap: 4px; align-items: center; }
.lw-controls:empty { display: none; }
.lw-scale { display: inline-flex; align-items: center; gap: 0; }
.lw-scale-title { margin-right: 5px; }
.lw-scale button { font: inherit; padding: 1px 8px; border: 1px solid #aab; background: #fff;
  color: #333; cursor: pointer; margin-left: -1px; }
.lw-scale button:first-of-type { border-radius: 3px 0 0 3px; }
.lw-scale button:last-of-type { border-radius: 0 3px 3px 0; }
.lw-scale button[aria-pressed="true"] { background: #23395d; border-color: #23395d; color: #fff; }
.lw-tick { font-size: 12px; fill: var(--lw-muted); }
.lw-explorer { display: grid; gap: 10px 16px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 340px), 1fr)); }
.lw-cell { min-width: 0; }
/* each panel's drawing on its own compositing layer: a slider move that changes one panel
   (an outline of thousands of segments, a band) re-rasterises that panel alone, not the tiles
   the panels share (software raster: ~120 ms a move at 4,500 basins, ~25 ms so) */
.lw-cell > .lw-view > svg { will-change: transform; }
.lw-explorer-title { font-size: 13px; color: var(--lw-muted); margin: 2px 4px; }
.lw-crumbs { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 2px; }
.lw-crumb { font: inherit; border: none; background: none; padding: 0 2px; cursor: pointer;
  color: var(--jp-content-link-color, #1f5fa8); text-decoration: underline; }
.lw-crumb[aria-current="true"] { color: var(--lw-fg); text-decoration: none; font-weight: 600; }
.lw-hint { color: var(--lw-muted); font-style: italic; }
.lw-controls select { font: inherit; }
.lw-merged { stroke: var(--lw-fg); stroke-width: 1.6; }
.lw-stub { stroke-width: .5; }
/* a dense profile is painted once into a bitmap (profile_view.js profileBitmap); its shapes stay
   as invisible hit areas that show their outline when selected or focused, so that brushing
   repaints one outline instead of every shape */
.lw-profile .lw-basin.lw-rastered { visibility: hidden; pointer-events: all; }
.lw-profile .lw-basin.lw-rastered[aria-selected="true"], .lw-profile .lw-basin.lw-rastered:focus-visible { visibility: visible; fill: none; }
.lw-model { fill: #111; stroke: #fff; stroke-width: 1.5; cursor: pointer; }
.lw-model.lw-model-off { fill: rgba(255, 255, 255, 0.55); stroke: #111; stroke-dasharray: 2 1.5; }
.lw-outline { fill: none; stroke: ${y}; stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; pointer-events: none; }
.lw-outline-halo { fill: none; stroke: #fff; stroke-width: 5; stroke-linejoin: round;
  pointer-events: none; }
/* a long outline painted (lib/outline_paint.js): clicks go through to the map */
.lw-outline-raster { pointer-events: none; }
.lw-outline-raster canvas { image-rendering: pixelated; }
.lw-key-min { fill: ${et}; stroke: #fff; stroke-width: .8; }
.lw-key-saddle { fill: ${G}; stroke: #fff; stroke-width: .8; }
.lw-key-outline { fill: none; stroke: ${y}; stroke-width: 2.5; stroke-linejoin: round; }
.lw-key-model { fill: #111; stroke: #fff; stroke-width: 1.5; }
.lw-legend-row { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center; margin: 2px 4px; }
.lw-legend-row > span { display: inline-flex; align-items: center; }
.lw-legend-row svg { display: inline-block; margin-right: 4px; overflow: visible; }
.lw-curve-line { fill: none; stroke: var(--lw-fg); stroke-width: 1.6; stroke-linejoin: round; pointer-events: none; }
.lw-curve-band { fill: none; stroke: transparent; stroke-width: 7; stroke-linecap: round; stroke-linejoin: round; }
[aria-selected="true"].lw-curve-band { stroke: ${y}; stroke-opacity: .8; }
.lw-static-note { color: #777; font-style: italic; }
/* collection views: Gallery heat map, thumbnails, scatter, map */
.lw-gallery-top { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-start; }
.lw-heat-cell { stroke: #fff; stroke-width: 1; }
.lw-heat-cell.lw-empty { fill: #f2f2f2; }
[aria-selected="true"].lw-heat-cell { stroke: ${y}; stroke-width: 3; }
.lw-heat-value { font-size: 12px; pointer-events: none; }
.lw-entry { stroke: #fff; stroke-width: .8; }
.lw-dim .lw-entry:not([aria-selected="true"]) { opacity: .3; }
[aria-selected="true"].lw-entry { stroke: ${y}; stroke-width: 2.5; }
.lw-entry.lw-active { stroke: #111; stroke-width: 2.5; }
.lw-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 0 4px 2px 48px; font-size: 12px; }
.lw-legend span.lw-swatch { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 3px; vertical-align: -1px; }
.lw-caption { color: var(--lw-muted); margin: 0 4px; display: flex; align-items: center; flex-wrap: wrap; gap: 0 4px; }
.lw-caption .lw-ramp { display: inline-block; width: 90px; height: 10px; border-radius: 2px; }
.lw-profiles { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; min-height: 24px; }
.lw-thumb { border: 1px solid #ddd; border-radius: 3px; padding: 2px; cursor: pointer; background: #fff; }
.lw-thumb:hover { border-color: #888; }
.lw-thumb[aria-current="true"] { border-color: ${y}; box-shadow: 0 0 0 2px ${y}; }
.lw-thumb-title { font-size: 12px; text-align: center; white-space: nowrap; }
.lw-thumb .lw-basin { stroke: #fff; stroke-width: .3; }
.lw-thumb .lw-merged { stroke-width: .9; } /* joined markers: a thin ring at thumbnail size */
.lw-explorer-area { border-top: 1px solid #ddd; margin-top: 6px; padding-top: 4px; }
.lw-note { color: #777; font-style: italic; margin: 4px; }
/* live Gallery progress */
.lw-progress { display: inline-flex; align-items: center; gap: 4px; color: var(--lw-muted); }
.lw-progress:empty { display: none; }
.lw-progress progress { width: 90px; height: 10px; }
/* the shared diagram renderer: essential classes summarised on the \u221E line */
.lw-essential-bin { fill: #23395d; }
.lw-essential-strip.lw-d1 .lw-essential-bin { fill: #c25f00; }
.lw-essential-bin[aria-selected="true"] { fill: ${y}; fill-opacity: 1; stroke: #222; stroke-width: 1; }
.lw-essential-count { font-size: 12px; fill: var(--lw-muted); }
/* TrajectoryView */
.lw-trajectory .lw-panels { display: flex; gap: 6px; }
.lw-trajectory .lw-sample { stroke: #fff; stroke-width: .6; cursor: pointer; }
.lw-trajectory .lw-jump { stroke: #222; stroke-width: 1; }
.lw-trajectory .lw-sample[aria-selected="true"] { stroke: ${y}; stroke-width: 2; }
.lw-trajectory .lw-traj { fill: none; stroke-width: 1.1; stroke-opacity: .55; }
.lw-trajectory .lw-pair { cursor: pointer; stroke: #fff; stroke-width: .7; }
.lw-trajectory .lw-d0 { fill: #1f77b4; } .lw-trajectory .lw-d1 { fill: #ff7f0e; }
.lw-trajectory .lw-pair[aria-selected="true"] { fill: ${y}; stroke: #222; stroke-width: 1.2; }
.lw-trajectory .lw-ring { fill: none; pointer-events: none; stroke-width: 2.2; }
.lw-trajectory .lw-birth { stroke: ${y}; } .lw-trajectory .lw-death { stroke: #111; stroke-dasharray: 3 2; }
.lw-trajectory .lw-picked { stroke: ${y}; }
.lw-trajectory .lw-link { stroke: ${y}; stroke-dasharray: 4 3; pointer-events: none; }
.lw-trajectory .lw-legend { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-diagram-key { display: inline-flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-key-item { display: inline-flex; align-items: center; gap: 3px; }
.lw-trajectory .lw-key-item svg { display: inline-block; }
.lw-trajectory .lw-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 2px; }
.lw-trajectory .lw-ramp { display: inline-block; width: 90px; height: 10px; }
.lw-trajectory .lw-status { color: #444; }
`;function Nt(t){let e=t.getRootNode?t.getRootNode():document,n=e.head||e,r=e===document?document:e;if(r.querySelector&&r.querySelector("style[data-lw-style]"))return;let o=document.createElement("style");o.setAttribute("data-lw-style","1"),o.textContent=Qt,(n.appendChild?n:document.head).appendChild(o)}async function At(t,e){let n=t.get("selection");if(typeof n!="string")throw new Error("landscape_widgets: view has no selection model");let r=n.replace(/^IPY_MODEL_/,"").replace(/^anywidget:/,"");return e&&typeof e.getModel=="function"?e.getModel(`anywidget:${r}`):t.widget_manager.get_model(r)}var nt=2,te=["fill","fill-opacity","stroke","stroke-width","stroke-opacity","stroke-dasharray","stroke-linejoin","opacity","font-size","font-family","font-weight","font-style","text-anchor","dominant-baseline","visibility","display"];function Mt(t,e="#fff"){let n=t.cloneNode(!0),r=[t,...t.querySelectorAll("*")],o=[n,...n.querySelectorAll("*")],i=t.ownerDocument.defaultView;for(let c=0;c<r.length&&c<o.length;c++){let f=i&&i.getComputedStyle?i.getComputedStyle(r[c]):null;if(f)for(let p of te){let w=f.getPropertyValue(p);w&&o[c].style.setProperty(p,w)}}for(let c=0;c<r.length&&c<o.length;c++)r[c].localName==="foreignObject"&&ee(r[c],o[c]);n.setAttribute("xmlns","http://www.w3.org/2000/svg"),n.setAttribute("xmlns:xlink","http://www.w3.org/1999/xlink");let a=Number(t.getAttribute("width")),s=Number(t.getAttribute("height"));n.setAttribute("viewBox",`0 0 ${a} ${s}`),n.style.setProperty("overflow","hidden");let l=t.ownerDocument.createElementNS("http://www.w3.org/2000/svg","rect");l.setAttribute("width",String(a)),l.setAttribute("height",String(s)),l.setAttribute("fill",e),n.insertBefore(l,n.firstChild);for(let c of n.querySelectorAll(".lw-brush"))c.remove();return n}function ee(t,e){let n=t.querySelector("canvas"),r=null;try{r=n?n.toDataURL("image/png"):null}catch{r=null}if(!r||!r.startsWith("data:image/png")){e.remove();return}let o=m("image",{preserveAspectRatio:"none",href:r});for(let i of e.attributes)o.hasAttribute(i.name)||Z(o,i.name,i.value);e.replaceWith(o)}function jt(t,e){return`<?xml version="1.0" encoding="UTF-8"?>
${new XMLSerializer().serializeToString(Mt(t,e))}`}function ne(t,e=nt,n){let r=Number(t.getAttribute("width")),o=Number(t.getAttribute("height")),i=URL.createObjectURL(new Blob([jt(t,n)],{type:"image/svg+xml"}));return new Promise((a,s)=>{let l=new Image;l.onload=()=>{let c=document.createElement("canvas");c.width=Math.round(r*e),c.height=Math.round(o*e);let f=c.getContext("2d");f.scale(e,e),f.drawImage(l,0,0,r,o),URL.revokeObjectURL(i),c.toBlob(p=>p?a(p):s(new Error("landscape_widgets: PNG export failed")),"image/png")},l.onerror=()=>{URL.revokeObjectURL(i),s(new Error("landscape_widgets: PNG export: the SVG did not load"))},l.src=i})}function $t(t,e){let n=URL.createObjectURL(t),r=x("a",{download:e},document.body);r.href=n,r.click(),r.remove(),setTimeout(()=>URL.revokeObjectURL(n),1e3)}function Et(t,e,n){let r=x("span",{class:"lw-export",role:"group","aria-label":"export figure"},t),o=()=>getComputedStyle(t.closest(".lw-view")||t).getPropertyValue("--lw-bg").trim()||"#fff";return x("button",{type:"button","data-export":"svg",text:"SVG",title:"download this figure as SVG"},r).addEventListener("click",()=>{$t(new Blob([jt(e(),o())],{type:"image/svg+xml"}),`${n}.svg`)}),x("button",{type:"button","data-export":"png",text:"PNG",title:`download this figure as PNG (${nt}x)`},r).addEventListener("click",async()=>{$t(await ne(e(),nt,o()),`${n}.png`)}),r}function rt(){let t=[];return{on(e,n,r){return typeof e.addEventListener=="function"&&typeof e.on!="function"?(e.addEventListener(n,r),t.push(()=>e.removeEventListener(n,r))):(e.on(n,r),t.push(()=>e.off(n,r))),r},add(e){return typeof e=="function"&&t.push(e),e},dispose(){for(;t.length;)t.pop()()}}}function ot(t,e,{onBox:n,onClick:r,onMove:o,onLeave:i,layer:a=null,canBox:s=()=>!0}){let l=rt(),c=null,f=null,p=w=>{let u=t.getBoundingClientRect(),d=e();return[w.clientX-u.left-d.left,w.clientY-u.top-d.top]};return l.on(t,"pointerdown",w=>{w.button===0&&(c=p(w))}),l.on(t,"pointermove",w=>{let[u,d]=p(w);c&&n&&s()&&Math.hypot(u-c[0],d-c[1])>4&&(f||(f=a?m("rect",{class:"lw-brush"},a()):m("rect",{class:"lw-brush",transform:`translate(${e().left},${e().top})`},t)),f.setAttribute("x",Math.min(u,c[0])),f.setAttribute("y",Math.min(d,c[1])),f.setAttribute("width",Math.abs(u-c[0])),f.setAttribute("height",Math.abs(d-c[1]))),o&&o(w,u,d)}),l.on(t,"pointerup",w=>{if(!c)return;let[u,d]=p(w);f?(f.remove(),f=null,n(Math.min(u,c[0]),Math.min(d,c[1]),Math.max(u,c[0]),Math.max(d,c[1]),w)):r&&r(w,u,d),c=null}),l.on(t,"pointerleave",()=>{i&&i()}),()=>l.dispose()}function re(t,e,n){return e>0?n?Math.max(200,Math.floor(e)):Math.max(200,Math.min(t,Math.floor(e))):t}async function Ct({model:t,el:e,host:n},{name:r,view:o,title:i="",exportSvg:a=null,className:s=""}){let l=performance.now();Nt(e);let c=await At(t,n),f=x("div",{class:`lw-view lw-${r}${s?` ${s}`:""}`,"data-view":o||r},e),p=x("div",{class:"lw-head"},f),w=x("div",{class:"lw-title",text:i},p);a&&Et(p,a,o||r);let u=rt();return{sel:c,root:f,head:p,title:w,bag:u,tip:x("div",{class:"lw-tooltip"},f),ready(){return f.setAttribute("data-ready","true"),f.setAttribute("data-mount-ms",(performance.now()-l).toFixed(1)),()=>{u.dispose(),f.remove()}},fitWidth(b){return re(b,e.clientWidth||e.parentElement&&e.parentElement.clientWidth||0,!!(e.closest&&e.closest(".lw-cell")))},onResize(b){if(typeof ResizeObserver!="function")return;let _=e.clientWidth,v=new ResizeObserver(()=>{Math.abs(e.clientWidth-_)>=1&&(_=e.clientWidth,b())});v.observe(e),u.add(()=>v.disconnect())},timed(b,_=f){return(...v)=>{let C=performance.now(),L=b(...v);return _.setAttribute("data-render-ms",(performance.now()-C).toFixed(1)),L}}}}var oe={float32:Float32Array,float64:Float64Array,int32:Int32Array,uint8:Uint8Array};function ie(t){let e=atob(t),n=new Uint8Array(e.length);for(let r=0;r<e.length;r++)n[r]=e.charCodeAt(r);return n}function se(t){if(typeof t=="string")return ie(t);if(t instanceof ArrayBuffer)return new Uint8Array(t);if(ArrayBuffer.isView(t))return new Uint8Array(t.buffer,t.byteOffset,t.byteLength);throw new TypeError(`wire: unsupported buffer ${Object.prototype.toString.call(t)}`)}function Lt(t){if(t==null)return t;let e=oe[t.dtype];if(!e)throw new TypeError(`wire: unknown dtype ${JSON.stringify(t.dtype)}`);let n=se(t.buffer),r=t.shape.reduce((a,s)=>a*s,1);if(n.byteLength!==r*e.BYTES_PER_ELEMENT)throw new RangeError(`wire: ${n.byteLength} bytes do not hold ${r} ${t.dtype} values (shape ${t.shape})`);let i=n.byteOffset%e.BYTES_PER_ELEMENT===0?new e(n.buffer,n.byteOffset,r):new e(n.slice().buffer,0,r);return i.shape=t.shape,i}var E=t=>{let e=String(t);return/^\w+$/.test(e)&&e.replace(/_+/g," ").trim()||e};function it(t){let e=t||{},n=e.ids||[],r={};for(let[o,i]of Object.entries(e.metrics||{}))r[o]=Lt(i);return{ids:n,labels:e.labels||n,keyNames:e.key_names||[],keys:e.keys||{},metricNames:e.metric_names||[],metrics:r,index:new Map(n.map((o,i)=>[o,i])),column(o){return o in this.metrics?Array.from(this.metrics[o]):o in this.keys?this.keys[o]:null},isKey(o){return this.keyNames.includes(o)}}}function V(t,e){let n=typeof t=="string";return n!==(typeof e=="string")?n?1:-1:n?t<e?-1:t>e?1:0:Number(t)-Number(e)}function Rt(t){return[...new Set(t)].sort(V)}function le(t,e,n){if(!n)return[...new Set(e)];let r=new Set(t);if(e.length&&e.every(o=>r.has(o)))for(let o of e)r.delete(o);else for(let o of e)r.add(o);return[...r]}function Bt(t,e){t.set("entries",e),t.save_changes()}function ae(t,e,n,r,o){return t.filter(i=>i.px>=e&&i.px<=r&&i.py>=n&&i.py<=o).map(i=>i.id)}function Ot(t,e,n,r=8){let o=null,i=r;for(let a of t){let s=Math.hypot(a.px-e,a.py-n);s<=i&&([o,i]=[a,s])}return o}function Tt(t,e,n){let r=(o,i)=>Bt(t,le(t.get("entries")||[],o,i.shiftKey));return{onBox:(o,i,a,s,l)=>r(ae(e(),o,i,a,s),l),onClick:(o,i,a)=>{let s=n(i,a);s?r([s.id],o):o.shiftKey||Bt(t,[])}}}var D=class{constructor(){this.items=[]}clear(){this.items=[]}add(e,n){return e.setAttribute("data-entries",n.join(" ")),this.items.push({node:e,ids:n}),e}apply(e,n=null){for(let{node:r,ids:o}of this.items)o.some(i=>e.has(i))?r.setAttribute("aria-selected","true"):r.removeAttribute("aria-selected"),r.classList.toggle("lw-active",n!=null&&o.includes(n))}};var It={left:52,right:12,top:10,bottom:36},st=t=>typeof t=="number"?t:typeof t=="boolean"?Number(t):NaN;function ce(t,e,n,r=!1,o=!1){let i=(t.column(e)||[]).map(st),a=(t.column(n)||[]).map(st),s=[];return t.ids.forEach((l,c)=>{let f=i[c],p=a[c];!Number.isFinite(f)||!Number.isFinite(p)||r&&f<=0||o&&p<=0||(r&&(f=Math.log10(f)),o&&(p=Math.log10(p)),s.push({i:c,id:l,x:f,y:p}))}),s}function fe(t,e){let n=e?t.column(e):null;if(!n)return{colorOf:()=>"#4a6fa5",legend:[]};if(t.isKey(e)||n.some(s=>typeof s=="string")){let s=_t(n,V);return{colorOf:l=>s.get(n[l]),legend:Rt(n).map(l=>({label:`${e}=${l}`,color:s.get(l)}))}}let r=n.map(st),o=r.filter(Number.isFinite),i=Math.min(...o),a=Math.max(...o)-i||1;return{colorOf:s=>Number.isFinite(r[s])?R((r[s]-i)/a):"#bbb",legend:o.length?[{label:`${e} ${j(i)}`,color:R(0)},{label:j(i+a),color:R(1)}]:[]}}function pe(t,e,n){let r=[[yt(t.labels[e])]];for(let o of n)o&&!t.isKey(o)&&r.push(`${o} ${j((t.column(o)||[])[e])}`);return r}async function ue({model:t,el:e,host:n}){let r=null,o=await Ct({model:t,el:e,host:n},{name:"scatter",title:"Metrics of every entry",exportSvg:()=>r}),{sel:i,root:a,tip:s,bag:l}=o,c=x("div",{class:"lw-controls"},a),f={};for(let[h,k]of[["x","x"],["y","y"],["color","colour"]]){let S=x("label",{text:k},c);f[h]=x("select",{"data-axis":h},S),l.on(f[h],"change",()=>{t.set(h,f[h].value),t.save_changes()})}let p={};for(let[h,k]of[["log_x","log x"],["log_y","log y"]]){let S=x("label",{text:k},c);p[h]=x("input",{type:"checkbox","data-log":h},S),l.on(p[h],"change",()=>{t.set(h,p[h].checked),t.save_changes()})}r=m("svg",{role:"img","aria-label":"metric scatter"},a);let w=x("div",{class:"lw-legend"},a),u=x("div",{class:"lw-caption"},a),d=new D,b=it(t.get("_data")),_=[],v={...It},C=()=>{let h=new Set(i.get("entries")||[]);d.apply(h,i.get("active")),r.classList.toggle("lw-dim",[...h].some(k=>b.index.has(k)))},L=o.timed(()=>{b=it(t.get("_data"));let h=[...b.metricNames,...b.keyNames],k=t.get("x"),S=t.get("y"),N=t.get("color")||"",W=g=>g.map(A=>[A,E(A)]);P(f.x,W(h),k),P(f.y,W(h),S),P(f.color,W([...b.keyNames,...b.metricNames]),N,"(none)");let O=!!t.get("log_x"),B=!!t.get("log_y");p.log_x.checked=O,p.log_y.checked=B;let q=o.fitWidth(t.get("width")),at=t.get("height");r.setAttribute("width",q),r.setAttribute("height",at),a.style.maxWidth=`${q}px`,r.replaceChildren(),d.clear();let M=ce(b,k,S,O,B),K=g=>g?A=>j(10**A):j,ct=vt(U(F(M.map(g=>g.y)),[1,0]),{format:K(B)});v.left=Math.max(It.left,ct+6+8+14);let ft=q-v.left-v.right,J=at-v.top-v.bottom,T=m("g",{transform:`translate(${v.left},${v.top})`},r);m("rect",{x:0,y:0,width:ft,height:J,fill:"transparent",class:"lw-bg"},T);let pt=U(F(M.map(g=>g.x)),[0,ft]),ut=U(F(M.map(g=>g.y)),[J,0]);tt(m("g",{transform:`translate(0,${J})`},T),pt,"bottom",{label:O?`${E(k)} (log)`:E(k),format:K(O)}),tt(T,ut,"left",{label:B?`${E(S)} (log)`:E(S),format:K(B),labelGap:Math.max(38,ct+6+8)});let dt=fe(b,N),Y=N?b.column(N):null,Pt=Y?[...M].sort((g,A)=>V(Y[g.i],Y[A.i])):M;_=[];for(let g of Pt){let A=pt(g.x),ht=ut(g.y),Ut=m("circle",{class:"lw-entry lw-hit",cx:A.toFixed(1),cy:ht.toFixed(1),r:5,fill:dt.colorOf(g.i),"data-entry":g.id},T);d.add(Ut,[g.id]),_.push({id:g.id,i:g.i,px:A,py:ht})}w.replaceChildren();for(let g of dt.legend)kt(w,g.color,g.label);let wt=b.ids.length-M.length;u.textContent=wt?`${wt} of ${b.ids.length} entries have no value to plot`:"",C()}),lt=(h,k)=>Ot(_,h,k);l.add(ot(r,()=>v,{...Tt(i,()=>_,lt),onMove:(h,k,S)=>{let N=lt(k,S);if(!N){H(s);return}bt(s,a,h,pe(b,N.i,[t.get("x"),t.get("y"),t.get("color")])),i.get("hover")!==N.id&&(i.set("hover",N.id),i.save_changes())},onLeave:()=>{H(s),i.get("hover")!=null&&(i.set("hover",null),i.save_changes())}})),L();for(let h of["change:_data","change:x","change:y","change:color","change:log_x","change:log_y","change:width","change:height"])l.on(t,h,L);return l.on(i,"change:entries",C),l.on(i,"change:active",C),o.onResize(L),o.ready()}var Ve={render:ue};export{It as MARGIN,fe as colorScale,Ve as default,pe as entryTooltip,ce as scatterPoints};
