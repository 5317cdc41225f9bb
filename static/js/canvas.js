/*
 * Canvas pan, zoom and fit-to-screen, keyboard moves between nodes, and the
 * code view's copy button.
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

  var MIN_SCALE = 0.1;
  var MAX_SCALE = 4;
  var views = {};        // workflow id -> {x, y, w, h}: kept across canvas swaps
  var focusedKey = null; // node that had focus before a swap

  function svgOf(canvas) { return canvas && canvas.querySelector("svg.canvas-svg"); }

  function bounds(svg) {
    return { w: parseFloat(svg.dataset.width), h: parseFloat(svg.dataset.height) };
  }

  function apply(canvas, view) {
    var svg = svgOf(canvas);
    if (!svg) { return; }
    views[canvas.dataset.workflow] = view;
    svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" "));
  }

  function fit(canvas) {
    var svg = svgOf(canvas);
    if (!svg) { return; }
    var b = bounds(svg);
    var margin = 16;
    var w = b.w + 2 * margin, h = b.h + 2 * margin;
    // Never zoom in past 1:1: a small graph (a new workflow) keeps its size, centred at the top,
    // with room around it for the nodes the user adds next.
    var width = svg.clientWidth, height = svg.clientHeight;
    if (width >= w && height >= h) {
      apply(canvas, { x: -margin - (width - w) / 2, y: -margin, w: width, h: height });
      return;
    }
    apply(canvas, { x: -margin, y: -margin, w: w, h: h });
  }

  function current(canvas) {
    return views[canvas.dataset.workflow] || null;
  }

  // Zoom by `factor` around the point (px, py) given in viewBox coordinates.
  function zoom(canvas, factor, px, py) {
    var view = current(canvas);
    if (!view) { fit(canvas); view = current(canvas); }
    var svg = svgOf(canvas);
    var b = bounds(svg);
    var scale = Math.max(b.w, 1) / (view.w / factor);
    if (scale < MIN_SCALE || scale > MAX_SCALE) { return; }
    if (px === undefined) { px = view.x + view.w / 2; py = view.y + view.h / 2; }
    apply(canvas, {
      x: px - (px - view.x) / factor, y: py - (py - view.y) / factor, w: view.w / factor, h: view.h / factor,
    });
  }

  function toViewBox(svg, clientX, clientY) {
    var point = svg.createSVGPoint();
    point.x = clientX; point.y = clientY;
    var matrix = svg.getScreenCTM();
    return matrix ? point.matrixTransform(matrix.inverse()) : { x: 0, y: 0 };
  }

  function setUp(canvas) {
    if (!canvas || canvas.dataset.ready) { return; }
    canvas.dataset.ready = "1";
    if (current(canvas)) { apply(canvas, current(canvas)); } else { fit(canvas); }
    var svg = svgOf(canvas);
    if (!svg) { return; }

    canvas.addEventListener("click", function (event) {
      var button = event.target.closest("[data-zoom]");
      if (!button) { return; }
      if (button.dataset.zoom === "fit") { fit(canvas); } else { zoom(canvas, button.dataset.zoom === "in" ? 1.25 : 0.8); }
    });

    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      var p = toViewBox(svg, event.clientX, event.clientY);
      zoom(canvas, event.deltaY < 0 ? 1.1 : 1 / 1.1, p.x, p.y);
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

  document.addEventListener("keydown", function (event) {
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
