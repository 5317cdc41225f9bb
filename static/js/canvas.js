/*
 * Canvas pan (drag, wheel), zoom (to the cursor), fit at a readable scale, a
 * minimap for graphs larger than the screen, keyboard moves between nodes, and
 * the code view's copy button.
 *
 * Why this is JavaScript and not HTMX: HTMX swaps server-rendered HTML, which
 * is how every edit, selection and validation works here. Panning and zooming
 * change only the SVG viewBox on every pointer move or wheel tick; a server
 * round trip per tick would be slow and would lose the view on each swap.
 * Likewise moving focus with the arrow keys, and writing to the clipboard,
 * are browser-only actions with nothing for a server to render.
 */
(function () {
  "use strict";

  var MIN_SCALE = 0.2;
  var MAX_SCALE = 4;
  var MARGIN = 16;
  var MINIMAP_WIDTH = 128;
  var views = {};        // workflow id -> {x, y, w, h}: kept across canvas swaps
  var focusedKey = null; // node that had focus before a swap

  function svgOf(canvas) { return canvas && canvas.querySelector("svg.canvas-svg"); }

  function bounds(svg) {
    return { w: parseFloat(svg.dataset.width), h: parseFloat(svg.dataset.height) };
  }

  // What the screen shows of a viewBox: the SVG keeps the aspect ratio (xMidYMid meet), so one
  // dimension shows more than the viewBox. Returns that region and the pixels per graph unit.
  function visible(svg, view) {
    var width = svg.clientWidth || 1, height = svg.clientHeight || 1;
    var scale = Math.min(width / view.w, height / view.h);
    var w = width / scale, h = height / scale;
    return { x: view.x - (w - view.w) / 2, y: view.y - (h - view.h) / 2, w: w, h: h, scale: scale };
  }

  function apply(canvas, view) {
    var svg = svgOf(canvas);
    if (!svg) { return; }
    views[canvas.dataset.workflow] = view;
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
    svg.dataset.scale = visible(svg, view).scale.toFixed(3);
    updateMinimap(canvas);
  }

  // The whole graph when it is readable so; otherwise the readable scale, top of the graph, centred
  // (or its left side when wider than the screen): the minimap shows the rest. The readable scale is
  // the canvas's data-min-fit-scale (the editor's 0.6 keeps 13px labels about 8px high); a canvas
  // without one (a run's graph beside its details) always shows the whole graph.
  function fit(canvas) {
    var minFit = parseFloat(canvas.dataset.minFitScale || "0");
    var svg = svgOf(canvas);
    if (!svg) { return; }
    var b = bounds(svg);
    var w = b.w + 2 * MARGIN, h = b.h + 2 * MARGIN;
    var width = svg.clientWidth || 1, height = svg.clientHeight || 1;
    // Never zoom in past 1:1: a small graph (a new workflow) keeps its size, centred at the top,
    // with room around it for the nodes the user adds next.
    if (width >= w && height >= h) {
      apply(canvas, { x: -MARGIN - (width - w) / 2, y: -MARGIN, w: width, h: height });
      return;
    }
    if (Math.min(width / w, height / h) >= minFit) {
      apply(canvas, { x: -MARGIN, y: -MARGIN, w: w, h: h });
      return;
    }
    var viewW = width / minFit, viewH = height / minFit;
    var x = viewW >= w ? -MARGIN - (viewW - w) / 2 : -MARGIN;
    apply(canvas, { x: x, y: -MARGIN, w: viewW, h: viewH });
  }

  function current(canvas) {
    return views[canvas.dataset.workflow] || null;
  }

  // Zoom by `factor` around the point (px, py) given in viewBox coordinates (the cursor stays put).
  function zoom(canvas, factor, px, py) {
    var view = current(canvas);
    if (!view) { fit(canvas); view = current(canvas); }
    var svg = svgOf(canvas);
    var scale = visible(svg, view).scale * factor;
    if (scale < MIN_SCALE || scale > MAX_SCALE) { return; }
    if (px === undefined) { px = view.x + view.w / 2; py = view.y + view.h / 2; }
    apply(canvas, {
      x: px - (px - view.x) / factor, y: py - (py - view.y) / factor, w: view.w / factor, h: view.h / factor,
    });
  }

  function pan(canvas, dx, dy) {
    var view = current(canvas);
    apply(canvas, { x: view.x + dx, y: view.y + dy, w: view.w, h: view.h });
  }

  function toViewBox(svg, clientX, clientY) {
    var point = svg.createSVGPoint();
    point.x = clientX; point.y = clientY;
    var matrix = svg.getScreenCTM();
    return matrix ? point.matrixTransform(matrix.inverse()) : { x: 0, y: 0 };
  }

  // The minimap: the graph's shapes and edges small, the visible region as a frame; shown while the
  // graph does not fit on the screen. Click or drag in it to move there.
  function buildMinimap(canvas, svg) {
    var b = bounds(svg);
    var ns = "http://www.w3.org/2000/svg";
    var map = document.createElementNS(ns, "svg");
    var w = b.w + 2 * MARGIN, h = b.h + 2 * MARGIN;
    map.setAttribute("class", "minimap");
    map.setAttribute("viewBox", [-MARGIN, -MARGIN, w, h].join(" "));
    map.setAttribute("width", MINIMAP_WIDTH);
    map.setAttribute("height", Math.min(Math.round(MINIMAP_WIDTH * h / w), 200));
    map.setAttribute("aria-hidden", "true");
    var drawing = document.createElementNS(ns, "g");
    svg.querySelectorAll(".viewport .shape, .viewport .edge > path:first-of-type").forEach(function (shape) {
      var copy = shape.cloneNode(false);
      copy.removeAttribute("marker-end");
      copy.setAttribute("class", shape.tagName === "path" ? "minimap-edge" : shape.getAttribute("class") + " minimap-shape");
      drawing.appendChild(copy);
    });
    map.appendChild(drawing);
    var frame = document.createElementNS(ns, "rect");
    frame.setAttribute("class", "minimap-frame");
    map.appendChild(frame);
    // Beside the canvas, not in it: "#canvas svg" stays the one drawing. The canvas's setUp removes it.
    var host = canvas.parentNode;
    if (window.getComputedStyle(host).position === "static") { host.style.position = "relative"; }
    host.appendChild(map);
    canvas.minimap = map;

    function moveTo(event) {
      var p = toViewBox(map, event.clientX, event.clientY);
      var view = current(canvas);
      apply(canvas, { x: p.x - view.w / 2, y: p.y - view.h / 2, w: view.w, h: view.h });
    }
    var dragging = false;
    map.addEventListener("pointerdown", function (event) {
      dragging = true; map.setPointerCapture(event.pointerId); moveTo(event); event.stopPropagation();
    });
    map.addEventListener("pointermove", function (event) { if (dragging) { moveTo(event); } });
    map.addEventListener("pointerup", function () { dragging = false; });
    return map;
  }

  function updateMinimap(canvas) {
    var svg = svgOf(canvas);
    var map = canvas.minimap;
    var view = current(canvas);
    if (!svg || !view) { return; }
    var b = bounds(svg);
    var shown = visible(svg, view);
    var fits = shown.x <= -MARGIN + 1 && shown.y <= -MARGIN + 1 &&
      shown.x + shown.w >= b.w + MARGIN - 1 && shown.y + shown.h >= b.h + MARGIN - 1;
    if (fits) { if (map) { map.hidden = true; } return; }
    if (!map) { map = buildMinimap(canvas, svg); }
    map.hidden = false;
    var frame = map.querySelector(".minimap-frame");
    frame.setAttribute("x", shown.x); frame.setAttribute("y", shown.y);
    frame.setAttribute("width", shown.w); frame.setAttribute("height", shown.h);
  }

  function setUp(canvas) {
    if (!canvas || canvas.dataset.ready) { return; }
    canvas.dataset.ready = "1";
    canvas.parentNode.querySelectorAll(":scope > svg.minimap").forEach(function (old) { old.remove(); }); // a swapped-out canvas's
    if (current(canvas)) { apply(canvas, current(canvas)); } else { fit(canvas); }
    var svg = svgOf(canvas);
    if (!svg) { return; }
    // A side panel folding or the window resizing changes how much of the graph shows.
    if (window.ResizeObserver) { new ResizeObserver(function () { updateMinimap(canvas); }).observe(svg); }

    canvas.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) { return; }
      if (button.dataset.zoom === "fit") { fit(canvas); } else { zoom(canvas, button.dataset.zoom === "in" ? 1.25 : 0.8); }
    });

    // The wheel pans (a trackpad scrolls both ways); with Ctrl or Cmd (a pinch) it zooms to the cursor.
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      if (event.ctrlKey || event.metaKey) {
        var p = toViewBox(svg, event.clientX, event.clientY);
        zoom(canvas, event.deltaY < 0 ? 1.1 : 1 / 1.1, p.x, p.y);
        return;
      }
      var scale = visible(svg, current(canvas)).scale;
      var unit = event.deltaMode === 1 ? 16 : 1; // lines or pixels
      var dx = event.shiftKey && !event.deltaX ? event.deltaY : event.deltaX;
      var dy = event.shiftKey && !event.deltaX ? 0 : event.deltaY;
      pan(canvas, dx * unit / scale, dy * unit / scale);
    }, { passive: false });
    // Drag anywhere to pan (containers cover most of the canvas); a drag is not a click on a node.
    var drag = null;
    var dragged = false;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      drag = { x: event.clientX, y: event.clientY, start: toViewBox(svg, event.clientX, event.clientY),
               id: event.pointerId, moving: false };
      dragged = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag || event.pointerId !== drag.id) { return; }
      if (!drag.moving && Math.abs(event.clientX - drag.x) + Math.abs(event.clientY - drag.y) < 5) { return; }
      if (!drag.moving) { drag.moving = true; svg.setPointerCapture(event.pointerId); }
      var view = current(canvas);
      var p = toViewBox(svg, event.clientX, event.clientY);
      apply(canvas, { x: view.x - (p.x - drag.start.x), y: view.y - (p.y - drag.start.y), w: view.w, h: view.h });
    });
    function endDrag() { dragged = Boolean(drag && drag.moving); drag = null; }
    svg.addEventListener("pointerup", endDrag);
    svg.addEventListener("pointercancel", endDrag);
    svg.addEventListener("click", function (event) {
      if (dragged) { event.stopPropagation(); event.preventDefault(); dragged = false; }
    }, true);
  }

  // Arrow keys: focus the nearest node in that direction; keep it in view.
  function nearest(from, key) {
    var fx = parseFloat(from.dataset.x), fy = parseFloat(from.dataset.y);
    var best = null, bestScore = Infinity;
    from.ownerSVGElement.querySelectorAll(".node[tabindex]").forEach(function (node) {
      if (node === from) { return; }
      var dx = parseFloat(node.dataset.x) - fx, dy = parseFloat(node.dataset.y) - fy;
      var along = { ArrowDown: dy, ArrowUp: -dy, ArrowRight: dx, ArrowLeft: -dx }[key];
      var across = (key === "ArrowDown" || key === "ArrowUp") ? Math.abs(dx) : Math.abs(dy);
      if (along <= 0) { return; }
      var score = along + 2 * across;
      if (score < bestScore) { best = node; bestScore = score; }
    });
    return best;
  }

  function reveal(canvas, node) {
    var view = current(canvas);
    if (!view) { return; }
    var x = parseFloat(node.dataset.x), y = parseFloat(node.dataset.y);
    if (x < view.x || x > view.x + view.w || y < view.y || y > view.y + view.h) {
      apply(canvas, { x: x - view.w / 2, y: y - view.h / 3, w: view.w, h: view.h });
    }
  }

  // Folding a container changes this browser's view only: the folded keys go in a cookie per workflow
  // that every request sends (workflows/canvas/folding.py), and the panels are fetched again so the
  // server lays the graph out with the container drawn as a card.
  function toggleFold(button) {
    var canvas = button.closest(".canvas");
    var name = "canvas-folded-" + canvas.dataset.workflow;
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    var keys = match && match[1] ? match[1].split(".") : [];
    var at = keys.indexOf(button.dataset.fold);
    if (at >= 0) { keys.splice(at, 1); } else { keys.push(button.dataset.fold); }
    document.cookie = name + "=" + keys.sort().join(".") + "; path=/; max-age=31536000; samesite=lax";
    var selected = canvas.querySelector(".node.is-selected");
    var query = selected ? "?node=" + encodeURIComponent(selected.dataset.key) : "";
    window.htmx.ajax("GET", button.dataset.refreshUrl + query, { swap: "none" });
  }

  document.addEventListener("click", function (event) {
    var fold = event.target.closest && event.target.closest(".canvas-svg [data-fold]");
    if (fold) { event.preventDefault(); toggleFold(fold); }
  });

  document.addEventListener("keydown", function (event) {
    var fold = event.target.closest && event.target.closest(".canvas-svg [data-fold]");
    if (fold && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); toggleFold(fold); return; }
    var node = event.target.closest && event.target.closest(".canvas-svg .node");
    if (node && event.key.indexOf("Arrow") === 0) {
      var next = nearest(node, event.key);
      if (next) { event.preventDefault(); next.focus(); reveal(node.closest(".canvas"), next); }
    } else if (event.key === "Escape") {
      var cancel = document.querySelector("[data-cancel-connect]");
      if (cancel) { cancel.click(); }
    }
  });

  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy]");
    if (!copy) { return; }
    var source = document.querySelector(copy.dataset.copy);
    navigator.clipboard.writeText(source ? source.innerText : "").then(function () {
      copy.textContent = "Copied";
    });
  });

  // The canvas is replaced by out-of-band swaps: remember focus, then restore view and focus.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "canvas") {
      var active = document.activeElement;
      focusedKey = active && active.dataset && active.closest && active.closest(".canvas-svg") ? active.dataset.key : null;
    }
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "canvas") { return; }
    var canvas = document.getElementById("canvas");
    setUp(canvas);
    if (focusedKey) {
      var node = document.getElementById("node-" + focusedKey);
      if (node) { node.focus({ preventScroll: true }); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document.getElementById("canvas")); });
})();
