var dt="http://www.w3.org/2000/svg",wt=/^on/i,Tt=new Set(["href","xlink:href","src","action","formaction"]),Pt=/^(data:image\/(png|jpeg|gif|webp);|#|$)/i;function q(t,e){for(let[n,r]of Object.entries(e))if(n==="text")t.textContent=r==null?"":String(r);else{if(r==null)continue;if(wt.test(n))throw new Error(`landscape_widgets: attribute ${JSON.stringify(n)}: event handlers are attached with addEventListener, never as attributes`);if(n==="style"&&typeof r=="object")for(let[o,i]of Object.entries(r))i!=null&&t.style.setProperty(o,String(i));else K(t,n,r)}return t}function K(t,e,n){if(wt.test(e))throw new Error(`landscape_widgets: attribute ${JSON.stringify(e)}: event handlers are attached with addEventListener, never as attributes`);let r=String(n);if(Tt.has(e.toLowerCase())&&!Pt.test(r.trim()))throw new Error(`landscape_widgets: attribute ${e}: expected a data:image URL drawn by the view, got ${JSON.stringify(r.slice(0,40))}`);return t.setAttribute(e,r),t}function g(t,e={},n=null){if($&&n)return Ut(t,e,n);let r=q(document.createElementNS(dt,t),e);return n&&n.appendChild(r),r}var $=null;function It(t,e){let n=t;for(let r in e){let o=e[r];o!=null&&(n+=""+r+""+(typeof o=="object"?JSON.stringify(o):o))}return n}function Ft(t,e){let n=$.kids.get(t);n||$.kids.set(t,n=[]),n.push(e),e.__lwPass=$.pass,e.__lwParent=t}function Ut(t,e,n){let r=It(t,e),o=$.pool.get(r),i=null;return o&&o.next<o.length?(i=o[o.next++],$.kept.push(i)):(i=q(document.createElementNS(dt,t),e),$.made++),i.__lwKey=r,Ft(n,i),i}function h(t,e={},n=null){let r=q(document.createElement(t),e);return n&&n.appendChild(r),r}function ht(t,e){return t.appendChild(document.createTextNode(e==null?"":String(e)))}var gt=t=>({bold:t});function zt(t,e){t.replaceChildren();let n=!0;for(let r of e)if(r!=null){n||t.appendChild(document.createElement("br")),n=!1;for(let o of Array.isArray(r)?r:[r])o!=null&&typeof o=="object"&&"bold"in o?h("b",{text:o.bold},t):ht(t,o)}return t}function xt(t,e,n,r){zt(t,r),t.style.display="block";let o=e.getBoundingClientRect();t.style.left=`${n.clientX-o.left+12}px`,t.style.top=`${n.clientY-o.top+12}px`}function J(t){t.style.display="none"}function I(t,e,n,r=null){t.replaceChildren(),r!=null&&h("option",{value:"",text:r},t);for(let o of e){let[i,s]=Array.isArray(o)?o:[o,o];h("option",{value:i,text:s},t)}t.value=n==null?"":String(n)}function mt(t,e,n,r="lw-swatch"){let o=h("span",{},t);return h("span",{class:r,style:{background:e}},o),ht(o,n),o}function Y(t,e){let[n,r]=t,[o,i]=e,s=r-n||1,l=a=>o+(a-n)/s*(i-o);return l.invert=a=>n+(a-o)/(i-o||1)*s,l.domain=[n,r],l.range=[o,i],l}function yt(t,e,n=5){if(!Number.isFinite(t)||!Number.isFinite(e))return[];if(e<t&&([t,e]=[e,t]),e===t)return[t];let r=(e-t)/Math.max(1,n),o=10**Math.floor(Math.log10(r)),i=r/o,s=o*(i>=7.5?10:i>=3.5?5:i>=1.5?2:1),l=[];for(let a=Math.ceil(t/s)*s;a<=e+s*1e-9;a+=s)l.push(Math.abs(a)<s*1e-9?0:a);return l}function j(t){if(t==null||Number.isNaN(t))return"\u2013";if(!Number.isFinite(t))return t>0?"\u221E":"-\u221E";let e=Math.abs(t);return e!==0&&(e>=1e5||e<.001)?t.toExponential(2):String(Number(t.toPrecision(4)))}function X(t,e=.05){let n=1/0,r=-1/0;for(let i of t)Number.isFinite(i)&&(i<n&&(n=i),i>r&&(r=i));if(n===1/0)return[0,1];if(r===n)return[n-.5,r+.5];let o=(r-n)*e;return[n-o,r+o]}function Z(t,e,n,{count:r=5,label:o="",format:i=String}={}){let s=g("g",{class:"lw-axis"},t),[l,a]=e.range,c=Math.min(...e.domain),f=Math.max(...e.domain),p=yt(c,f,r);if(n==="bottom"){g("line",{x1:l,x2:a,y1:0,y2:0},s);for(let u of p){let d=e(u);g("line",{x1:d,x2:d,y1:0,y2:4},s),g("text",{x:d,y:14,"text-anchor":"middle"},s).textContent=i(u)}o&&(g("text",{x:(l+a)/2,y:28,"text-anchor":"middle",class:"lw-label"},s).textContent=o)}else{g("line",{x1:0,x2:0,y1:l,y2:a},s);for(let u of p){let d=e(u);g("line",{x1:-4,x2:0,y1:d,y2:d},s),g("text",{x:-6,y:d+3,"text-anchor":"end"},s).textContent=i(u)}if(o){let u=g("text",{x:0,y:0,"text-anchor":"middle",class:"lw-label",transform:`translate(-38,${(l+a)/2}) rotate(-90)`},s);u.textContent=o}}return s}var H="#d62728",Q="#ff7f0e",m="#e6007e";var Gt=["#440154","#482878","#3e4989","#31688e","#26828e","#1f9e89","#35b779","#6ece58","#b5de2b","#fde725"];function bt(t){let e=parseInt(t.slice(1),16);return[e>>16&255,e>>8&255,e&255]}function Dt(t,e){Number.isFinite(e)||(e=0),e=Math.min(1,Math.max(0,e));let n=e*(t.length-1),r=Math.min(t.length-2,Math.floor(n)),o=n-r,i=bt(t[r]),s=bt(t[r+1]),l=i.map((a,c)=>Math.round(a+(s[c]-a)*o));return`rgb(${l[0]},${l[1]},${l[2]})`}var B=t=>Dt(Gt,t);var F=["#4e79a7","#f28e2b","#59a14f","#e15759","#76b7b2","#edc948","#b07aa1","#ff9da7","#9c755f","#bab0ac"],Vt=t=>typeof t=="boolean"||typeof t=="number"&&Number.isInteger(t);function kt(t,e=(n,r)=>n<r?-1:n>r?1:0){let n=[...new Set(t)].sort(e),r=new Map,o=n.map(i=>Vt(i)?(Number(i)%10+10)%10:-1);return n.length&&o.every(i=>i>=0)&&new Set(o).size===n.length?n.forEach((i,s)=>r.set(i,F[o[s]])):n.length<=F.length?n.forEach((i,s)=>r.set(i,F[s])):n.forEach((i,s)=>r.set(i,B(s/(n.length-1)))),r}var Wt=`
.lw-view { --lw-bg: var(--jp-layout-color0, #fff); --lw-fg: var(--jp-ui-font-color1, #222);
  --lw-muted: var(--jp-ui-font-color2, #555); --lw-line: var(--jp-border-color1, #888);
  position: relative; display: block; max-width: 100%; box-sizing: border-box;
  font: 12px system-ui, sans-serif; color: var(--lw-fg); background: var(--lw-bg);
  vertical-align: top; user-select: none; }
.lw-view:focus { outline: none; } .lw-view:focus-visible { outline: 2px solid ${m}; }
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
.lw-min { fill: ${H}; stroke: #fff; stroke-width: .8; }
.lw-saddle { fill: ${Q}; stroke: #fff; stroke-width: .8; }
.lw-bar { fill: #4a6fa5; } .lw-bar.lw-essential { fill: #23395d; stroke: var(--lw-line); stroke-width: .5; }
.lw-edge { fill: none; stroke: var(--jp-ui-font-color2, #556); stroke-width: 1.4; }
.lw-basin { stroke: #fff; stroke-width: .5; }
.lw-profile .lw-basin { stroke: rgba(15,25,45,.5); stroke-width: .8; stroke-linejoin: round; }
[aria-selected="true"].lw-bar, [aria-selected="true"].lw-point { fill: ${m}; }
[aria-selected="true"].lw-edge { stroke: ${m}; stroke-width: 3; }
[aria-selected="true"].lw-basin { stroke: ${m}; stroke-width: 2.5; }
[aria-selected="true"].lw-min, [aria-selected="true"].lw-saddle { stroke: ${m}; stroke-width: 2.5; }
.lw-point { fill: #4a6fa5; stroke: #fff; stroke-width: .8; }
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
.lw-outline { fill: none; stroke: ${m}; stroke-width: 2.5; stroke-linejoin: round;
  stroke-linecap: round; pointer-events: none; }
.lw-outline-halo { fill: none; stroke: #fff; stroke-width: 5; stroke-linejoin: round;
  pointer-events: none; }
.lw-key-min { fill: ${H}; stroke: #fff; stroke-width: .8; }
.lw-key-saddle { fill: ${Q}; stroke: #fff; stroke-width: .8; }
.lw-key-outline { fill: none; stroke: ${m}; stroke-width: 2.5; stroke-linejoin: round; }
.lw-key-model { fill: #111; stroke: #fff; stroke-width: 1.5; }
.lw-legend-row { display: flex; flex-wrap: wrap; gap: 2px 14px; align-items: center; margin: 2px 4px; }
.lw-legend-row > span { display: inline-flex; align-items: center; }
.lw-legend-row svg { display: inline-block; margin-right: 4px; overflow: visible; }
.lw-curve-line { fill: none; stroke: var(--lw-fg); stroke-width: 1.6; stroke-linejoin: round; pointer-events: none; }
.lw-curve-band { fill: none; stroke: transparent; stroke-width: 7; stroke-linecap: round; stroke-linejoin: round; }
[aria-selected="true"].lw-curve-band { stroke: ${m}; stroke-opacity: .8; }
.lw-static-note { color: #777; font-style: italic; }
/* collection views: Gallery heat map, thumbnails, scatter, map */
.lw-gallery-top { display: flex; gap: 8px; flex-wrap: wrap; align-items: flex-start; }
.lw-heat-cell { stroke: #fff; stroke-width: 1; }
.lw-heat-cell.lw-empty { fill: #f2f2f2; }
[aria-selected="true"].lw-heat-cell { stroke: ${m}; stroke-width: 3; }
.lw-heat-value { font-size: 12px; pointer-events: none; }
.lw-entry { stroke: #fff; stroke-width: .8; }
.lw-dim .lw-entry:not([aria-selected="true"]) { opacity: .3; }
[aria-selected="true"].lw-entry { stroke: ${m}; stroke-width: 2.5; }
.lw-entry.lw-active { stroke: #111; stroke-width: 2.5; }
.lw-legend { display: flex; flex-wrap: wrap; gap: 2px 10px; margin: 0 4px 2px 48px; font-size: 12px; }
.lw-legend span.lw-swatch { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 3px; vertical-align: -1px; }
.lw-caption { color: var(--lw-muted); margin: 0 4px; display: flex; align-items: center; flex-wrap: wrap; gap: 0 4px; }
.lw-caption .lw-ramp { display: inline-block; width: 90px; height: 10px; border-radius: 2px; }
.lw-profiles { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; min-height: 24px; }
.lw-thumb { border: 1px solid #ddd; border-radius: 3px; padding: 2px; cursor: pointer; background: #fff; }
.lw-thumb:hover { border-color: #888; }
.lw-thumb[aria-current="true"] { border-color: ${m}; box-shadow: 0 0 0 2px ${m}; }
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
.lw-essential-bin[aria-selected="true"] { fill: ${m}; fill-opacity: 1; stroke: #222; stroke-width: 1; }
.lw-essential-count { font-size: 12px; fill: var(--lw-muted); }
/* TrajectoryView */
.lw-trajectory .lw-panels { display: flex; gap: 6px; }
.lw-trajectory .lw-sample { stroke: #fff; stroke-width: .6; cursor: pointer; }
.lw-trajectory .lw-jump { stroke: #222; stroke-width: 1; }
.lw-trajectory .lw-sample[aria-selected="true"] { stroke: ${m}; stroke-width: 2; }
.lw-trajectory .lw-traj { fill: none; stroke-width: 1.1; stroke-opacity: .55; }
.lw-trajectory .lw-pair { cursor: pointer; stroke: #fff; stroke-width: .7; }
.lw-trajectory .lw-d0 { fill: #1f77b4; } .lw-trajectory .lw-d1 { fill: #ff7f0e; }
.lw-trajectory .lw-pair[aria-selected="true"] { fill: ${m}; stroke: #222; stroke-width: 1.2; }
.lw-trajectory .lw-ring { fill: none; pointer-events: none; stroke-width: 2.2; }
.lw-trajectory .lw-birth { stroke: ${m}; } .lw-trajectory .lw-death { stroke: #111; stroke-dasharray: 3 2; }
.lw-trajectory .lw-picked { stroke: ${m}; }
.lw-trajectory .lw-link { stroke: ${m}; stroke-dasharray: 4 3; pointer-events: none; }
.lw-trajectory .lw-legend { display: inline-flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-diagram-key { display: inline-flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.lw-trajectory .lw-key-item { display: inline-flex; align-items: center; gap: 3px; }
.lw-trajectory .lw-key-item svg { display: inline-block; }
.lw-trajectory .lw-swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 2px; }
.lw-trajectory .lw-ramp { display: inline-block; width: 90px; height: 10px; }
.lw-trajectory .lw-status { color: #444; }
`;function vt(t){let e=t.getRootNode?t.getRootNode():document,n=e.head||e,r=e===document?document:e;if(r.querySelector&&r.querySelector("style[data-lw-style]"))return;let o=document.createElement("style");o.setAttribute("data-lw-style","1"),o.textContent=Wt,(n.appendChild?n:document.head).appendChild(o)}async function St(t,e){let n=t.get("selection");if(typeof n!="string")throw new Error("landscape_widgets: view has no selection model");let r=n.replace(/^IPY_MODEL_/,"").replace(/^anywidget:/,"");return e&&typeof e.getModel=="function"?e.getModel(`anywidget:${r}`):t.widget_manager.get_model(r)}var tt=2,qt=["fill","fill-opacity","stroke","stroke-width","stroke-opacity","stroke-dasharray","stroke-linejoin","opacity","font-size","font-family","font-weight","font-style","text-anchor","dominant-baseline","visibility","display"];function Nt(t,e="#fff"){let n=t.cloneNode(!0),r=[t,...t.querySelectorAll("*")],o=[n,...n.querySelectorAll("*")],i=t.ownerDocument.defaultView;for(let c=0;c<r.length&&c<o.length;c++){let f=i&&i.getComputedStyle?i.getComputedStyle(r[c]):null;if(f)for(let p of qt){let u=f.getPropertyValue(p);u&&o[c].style.setProperty(p,u)}}for(let c=0;c<r.length&&c<o.length;c++)r[c].localName==="foreignObject"&&Kt(r[c],o[c]);n.setAttribute("xmlns","http://www.w3.org/2000/svg"),n.setAttribute("xmlns:xlink","http://www.w3.org/1999/xlink");let s=Number(t.getAttribute("width")),l=Number(t.getAttribute("height"));n.setAttribute("viewBox",`0 0 ${s} ${l}`),n.style.setProperty("overflow","hidden");let a=t.ownerDocument.createElementNS("http://www.w3.org/2000/svg","rect");a.setAttribute("width",String(s)),a.setAttribute("height",String(l)),a.setAttribute("fill",e),n.insertBefore(a,n.firstChild);for(let c of n.querySelectorAll(".lw-brush"))c.remove();return n}function Kt(t,e){let n=t.querySelector("canvas"),r=null;try{r=n?n.toDataURL("image/png"):null}catch{r=null}if(!r||!r.startsWith("data:image/png")){e.remove();return}let o=g("image",{preserveAspectRatio:"none",href:r});for(let i of e.attributes)o.hasAttribute(i.name)||K(o,i.name,i.value);e.replaceWith(o)}function At(t,e){return`<?xml version="1.0" encoding="UTF-8"?>
${new XMLSerializer().serializeToString(Nt(t,e))}`}function Jt(t,e=tt,n){let r=Number(t.getAttribute("width")),o=Number(t.getAttribute("height")),i=URL.createObjectURL(new Blob([At(t,n)],{type:"image/svg+xml"}));return new Promise((s,l)=>{let a=new Image;a.onload=()=>{let c=document.createElement("canvas");c.width=Math.round(r*e),c.height=Math.round(o*e);let f=c.getContext("2d");f.scale(e,e),f.drawImage(a,0,0,r,o),URL.revokeObjectURL(i),c.toBlob(p=>p?s(p):l(new Error("landscape_widgets: PNG export failed")),"image/png")},a.onerror=()=>{URL.revokeObjectURL(i),l(new Error("landscape_widgets: PNG export: the SVG did not load"))},a.src=i})}function _t(t,e){let n=URL.createObjectURL(t),r=h("a",{download:e},document.body);r.href=n,r.click(),r.remove(),setTimeout(()=>URL.revokeObjectURL(n),1e3)}function $t(t,e,n){let r=h("span",{class:"lw-export",role:"group","aria-label":"export figure"},t),o=()=>getComputedStyle(t.closest(".lw-view")||t).getPropertyValue("--lw-bg").trim()||"#fff";return h("button",{type:"button","data-export":"svg",text:"SVG",title:"download this figure as SVG"},r).addEventListener("click",()=>{_t(new Blob([At(e(),o())],{type:"image/svg+xml"}),`${n}.svg`)}),h("button",{type:"button","data-export":"png",text:"PNG",title:`download this figure as PNG (${tt}x)`},r).addEventListener("click",async()=>{_t(await Jt(e(),tt,o()),`${n}.png`)}),r}function et(){let t=[];return{on(e,n,r){return typeof e.addEventListener=="function"&&typeof e.on!="function"?(e.addEventListener(n,r),t.push(()=>e.removeEventListener(n,r))):(e.on(n,r),t.push(()=>e.off(n,r))),r},add(e){return typeof e=="function"&&t.push(e),e},dispose(){for(;t.length;)t.pop()()}}}function nt(t,e,{onBox:n,onClick:r,onMove:o,onLeave:i,layer:s=null,canBox:l=()=>!0}){let a=et(),c=null,f=null,p=u=>{let d=t.getBoundingClientRect(),b=e();return[u.clientX-d.left-b.left,u.clientY-d.top-b.top]};return a.on(t,"pointerdown",u=>{u.button===0&&(c=p(u))}),a.on(t,"pointermove",u=>{let[d,b]=p(u);c&&n&&l()&&Math.hypot(d-c[0],b-c[1])>4&&(f||(f=s?g("rect",{class:"lw-brush"},s()):g("rect",{class:"lw-brush",transform:`translate(${e().left},${e().top})`},t)),f.setAttribute("x",Math.min(d,c[0])),f.setAttribute("y",Math.min(b,c[1])),f.setAttribute("width",Math.abs(d-c[0])),f.setAttribute("height",Math.abs(b-c[1]))),o&&o(u,d,b)}),a.on(t,"pointerup",u=>{if(!c)return;let[d,b]=p(u);f?(f.remove(),f=null,n(Math.min(d,c[0]),Math.min(b,c[1]),Math.max(d,c[0]),Math.max(b,c[1]),u)):r&&r(u,d,b),c=null}),a.on(t,"pointerleave",()=>{i&&i()}),()=>a.dispose()}function Yt(t,e,n){return e>0?n?Math.max(200,Math.floor(e)):Math.max(200,Math.min(t,Math.floor(e))):t}async function Mt({model:t,el:e,host:n},{name:r,view:o,title:i="",exportSvg:s=null,className:l=""}){let a=performance.now();vt(e);let c=await St(t,n),f=h("div",{class:`lw-view lw-${r}${l?` ${l}`:""}`,"data-view":o||r},e),p=h("div",{class:"lw-head"},f),u=h("div",{class:"lw-title",text:i},p);s&&$t(p,s,o||r);let d=et();return{sel:c,root:f,head:p,title:u,bag:d,tip:h("div",{class:"lw-tooltip"},f),ready(){return f.setAttribute("data-ready","true"),f.setAttribute("data-mount-ms",(performance.now()-a).toFixed(1)),()=>{d.dispose(),f.remove()}},fitWidth(y){return Yt(y,e.clientWidth||e.parentElement&&e.parentElement.clientWidth||0,!!(e.closest&&e.closest(".lw-cell")))},onResize(y){if(typeof ResizeObserver!="function")return;let S=e.clientWidth,A=new ResizeObserver(()=>{Math.abs(e.clientWidth-S)>=1&&(S=e.clientWidth,y())});A.observe(e),d.add(()=>A.disconnect())},timed(y,S=f){return(...A)=>{let C=performance.now(),R=y(...A);return S.setAttribute("data-render-ms",(performance.now()-C).toFixed(1)),R}}}}var Xt={float32:Float32Array,float64:Float64Array,int32:Int32Array,uint8:Uint8Array};function Zt(t){let e=atob(t),n=new Uint8Array(e.length);for(let r=0;r<e.length;r++)n[r]=e.charCodeAt(r);return n}function Ht(t){if(typeof t=="string")return Zt(t);if(t instanceof ArrayBuffer)return new Uint8Array(t);if(ArrayBuffer.isView(t))return new Uint8Array(t.buffer,t.byteOffset,t.byteLength);throw new TypeError(`wire: unsupported buffer ${Object.prototype.toString.call(t)}`)}function jt(t){if(t==null)return t;let e=Xt[t.dtype];if(!e)throw new TypeError(`wire: unknown dtype ${JSON.stringify(t.dtype)}`);let n=Ht(t.buffer),r=t.shape.reduce((s,l)=>s*l,1);if(n.byteLength!==r*e.BYTES_PER_ELEMENT)throw new RangeError(`wire: ${n.byteLength} bytes do not hold ${r} ${t.dtype} values (shape ${t.shape})`);let i=n.byteOffset%e.BYTES_PER_ELEMENT===0?new e(n.buffer,n.byteOffset,r):new e(n.slice().buffer,0,r);return i.shape=t.shape,i}var E=t=>{let e=String(t);return/^\w+$/.test(e)&&e.replace(/_+/g," ").trim()||e};function rt(t){let e=t||{},n=e.ids||[],r={};for(let[o,i]of Object.entries(e.metrics||{}))r[o]=jt(i);return{ids:n,labels:e.labels||n,keyNames:e.key_names||[],keys:e.keys||{},metricNames:e.metric_names||[],metrics:r,index:new Map(n.map((o,i)=>[o,i])),column(o){return o in this.metrics?Array.from(this.metrics[o]):o in this.keys?this.keys[o]:null},isKey(o){return this.keyNames.includes(o)}}}function z(t,e){let n=typeof t=="string";return n!==(typeof e=="string")?n?1:-1:n?t<e?-1:t>e?1:0:Number(t)-Number(e)}function Ct(t){return[...new Set(t)].sort(z)}function Qt(t,e,n){if(!n)return[...new Set(e)];let r=new Set(t);if(e.length&&e.every(o=>r.has(o)))for(let o of e)r.delete(o);else for(let o of e)r.add(o);return[...r]}function Et(t,e){t.set("entries",e),t.save_changes()}function te(t,e,n,r,o){return t.filter(i=>i.px>=e&&i.px<=r&&i.py>=n&&i.py<=o).map(i=>i.id)}function Lt(t,e,n,r=8){let o=null,i=r;for(let s of t){let l=Math.hypot(s.px-e,s.py-n);l<=i&&([o,i]=[s,l])}return o}function Bt(t,e,n){let r=(o,i)=>Et(t,Qt(t.get("entries")||[],o,i.shiftKey));return{onBox:(o,i,s,l,a)=>r(te(e(),o,i,s,l),a),onClick:(o,i,s)=>{let l=n(i,s);l?r([l.id],o):o.shiftKey||Et(t,[])}}}var U=class{constructor(){this.items=[]}clear(){this.items=[]}add(e,n){return e.setAttribute("data-entries",n.join(" ")),this.items.push({node:e,ids:n}),e}apply(e,n=null){for(let{node:r,ids:o}of this.items)o.some(i=>e.has(i))?r.setAttribute("aria-selected","true"):r.removeAttribute("aria-selected"),r.classList.toggle("lw-active",n!=null&&o.includes(n))}};var M={left:52,right:12,top:10,bottom:36},ot=t=>typeof t=="number"?t:typeof t=="boolean"?Number(t):NaN;function ee(t,e,n,r=!1,o=!1){let i=(t.column(e)||[]).map(ot),s=(t.column(n)||[]).map(ot),l=[];return t.ids.forEach((a,c)=>{let f=i[c],p=s[c];!Number.isFinite(f)||!Number.isFinite(p)||r&&f<=0||o&&p<=0||(r&&(f=Math.log10(f)),o&&(p=Math.log10(p)),l.push({i:c,id:a,x:f,y:p}))}),l}function ne(t,e){let n=e?t.column(e):null;if(!n)return{colorOf:()=>"#4a6fa5",legend:[]};if(t.isKey(e)||n.some(l=>typeof l=="string")){let l=kt(n,z);return{colorOf:a=>l.get(n[a]),legend:Ct(n).map(a=>({label:`${e}=${a}`,color:l.get(a)}))}}let r=n.map(ot),o=r.filter(Number.isFinite),i=Math.min(...o),s=Math.max(...o)-i||1;return{colorOf:l=>Number.isFinite(r[l])?B((r[l]-i)/s):"#bbb",legend:o.length?[{label:`${e} ${j(i)}`,color:B(0)},{label:j(i+s),color:B(1)}]:[]}}function re(t,e,n){let r=[[gt(t.labels[e])]];for(let o of n)o&&!t.isKey(o)&&r.push(`${o} ${j((t.column(o)||[])[e])}`);return r}async function oe({model:t,el:e,host:n}){let r=null,o=await Mt({model:t,el:e,host:n},{name:"scatter",title:"Metrics of every entry",exportSvg:()=>r}),{sel:i,root:s,tip:l,bag:a}=o,c=h("div",{class:"lw-controls"},s),f={};for(let[w,k]of[["x","x"],["y","y"],["color","colour"]]){let v=h("label",{text:k},c);f[w]=h("select",{"data-axis":w},v),a.on(f[w],"change",()=>{t.set(w,f[w].value),t.save_changes()})}let p={};for(let[w,k]of[["log_x","log x"],["log_y","log y"]]){let v=h("label",{text:k},c);p[w]=h("input",{type:"checkbox","data-log":w},v),a.on(p[w],"change",()=>{t.set(w,p[w].checked),t.save_changes()})}r=g("svg",{role:"img","aria-label":"metric scatter"},s);let u=h("div",{class:"lw-legend"},s),d=h("div",{class:"lw-caption"},s),b=new U,y=rt(t.get("_data")),S=[],A=()=>{let w=new Set(i.get("entries")||[]);b.apply(w,i.get("active")),r.classList.toggle("lw-dim",[...w].some(k=>y.index.has(k)))},C=o.timed(()=>{y=rt(t.get("_data"));let w=[...y.metricNames,...y.keyNames],k=t.get("x"),v=t.get("y"),_=t.get("color")||"",G=x=>x.map(N=>[N,E(N)]);I(f.x,G(w),k),I(f.y,G(w),v),I(f.color,G([...y.keyNames,...y.metricNames]),_,"(none)");let O=!!t.get("log_x"),T=!!t.get("log_y");p.log_x.checked=O,p.log_y.checked=T;let D=o.fitWidth(t.get("width")),it=t.get("height");r.setAttribute("width",D),r.setAttribute("height",it),s.style.maxWidth=`${D}px`,r.replaceChildren(),b.clear();let st=D-M.left-M.right,V=it-M.top-M.bottom,P=g("g",{transform:`translate(${M.left},${M.top})`},r);g("rect",{x:0,y:0,width:st,height:V,fill:"transparent",class:"lw-bg"},P);let L=ee(y,k,v,O,T),lt=Y(X(L.map(x=>x.x)),[0,st]),at=Y(X(L.map(x=>x.y)),[V,0]),ct=x=>x?N=>j(10**N):j;Z(g("g",{transform:`translate(0,${V})`},P),lt,"bottom",{label:O?`${E(k)} (log)`:E(k),format:ct(O)}),Z(P,at,"left",{label:T?`${E(v)} (log)`:E(v),format:ct(T)});let ft=ne(y,_),W=_?y.column(_):null,Rt=W?[...L].sort((x,N)=>z(W[x.i],W[N.i])):L;S=[];for(let x of Rt){let N=lt(x.x),ut=at(x.y),Ot=g("circle",{class:"lw-entry lw-hit",cx:N.toFixed(1),cy:ut.toFixed(1),r:5,fill:ft.colorOf(x.i),"data-entry":x.id},P);b.add(Ot,[x.id]),S.push({id:x.id,i:x.i,px:N,py:ut})}u.replaceChildren();for(let x of ft.legend)mt(u,x.color,x.label);let pt=y.ids.length-L.length;d.textContent=pt?`${pt} of ${y.ids.length} entries have no value to plot`:"",A()}),R=(w,k)=>Lt(S,w,k);a.add(nt(r,()=>M,{...Bt(i,()=>S,R),onMove:(w,k,v)=>{let _=R(k,v);if(!_){J(l);return}xt(l,s,w,re(y,_.i,[t.get("x"),t.get("y"),t.get("color")])),i.get("hover")!==_.id&&(i.set("hover",_.id),i.save_changes())},onLeave:()=>{J(l),i.get("hover")!=null&&(i.set("hover",null),i.save_changes())}})),C();for(let w of["change:_data","change:x","change:y","change:color","change:log_x","change:log_y","change:width","change:height"])a.on(t,w,C);return a.on(i,"change:entries",A),a.on(i,"change:active",A),o.onResize(C),o.ready()}var Te={render:oe};export{M as MARGIN,ne as colorScale,Te as default,re as entryTooltip,ee as scatterPoints};
