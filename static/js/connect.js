/*
 * Direct manipulation on the canvas: drag from a node's port to another node to connect them,
 * drop a palette item on an edge (insert it there) or on a node (add it after that node),
 * Shift+click nodes to copy them together.
 *
 * Why JavaScript: HTML has no way to say "the element under the pointer when the drag ends", and
 * HTMX triggers on events of one element; a drag spans two. So this file only finds the two ends
 * and then sends the ordinary editor request through htmx.ajax: the same endpoint, version, CSRF
 * header and out-of-band answer as the inspector's forms (workflows/editor/nodes.py, edges.py).
 * A click on a port without a drag asks for the "click the target" canvas, as the inspector's
 * "Pick target on canvas" button does.
 * The URLs come from data-*-url attributes on the SVG, which only editors get.
 */
(function () {
  "use strict";

  var picked = {};   // workflow id -> {node key: true}: the Shift+click selection, kept across swaps
  var dragType = null;  // the palette type being dragged (dataTransfer is unreadable during dragover)

  function canvasSvg() { return document.querySelector("#canvas svg.canvas-svg"); }

  function version() {
    var input = document.getElementById("workflow-version");
    return input ? input.value : "";
  }

  function send(url, source, values) {
    values.version = version();
    window.htmx.ajax("POST", url, { source: source, values: values, swap: "none" });
  }

  function toSvg(svg, event) {
    var point = svg.createSVGPoint();
    point.x = event.clientX; point.y = event.clientY;
    var matrix = svg.getScreenCTM();
    return matrix ? point.matrixTransform(matrix.inverse()) : { x: 0, y: 0 };
  }

  function nodeAt(event) {
    var element = document.elementFromPoint(event.clientX, event.clientY);
    return element && element.closest ? element.closest(".canvas-svg .node[data-key]") : null;
  }

  // --- Drag from a port to a node -------------------------------------------------------------
  var wire = null;

  document.addEventListener("pointerdown", function (event) {
    var port = event.target.closest && event.target.closest(".canvas-svg [data-port]");
    if (!port || event.button !== 0) { return; }
    event.stopPropagation();  // not a pan (canvas.js listens on the SVG)
    var svg = port.ownerSVGElement;
    var line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    line.setAttribute("class", "connect-preview edge--" + port.dataset.port);
    ["x1", "x2"].forEach(function (a) { line.setAttribute(a, port.getAttribute("cx")); });
    ["y1", "y2"].forEach(function (a) { line.setAttribute(a, port.getAttribute("cy")); });
    svg.querySelector(".viewport").appendChild(line);
    wire = { port: port, svg: svg, line: line, x: event.clientX, y: event.clientY, moved: false };
  }, true);

  document.addEventListener("pointermove", function (event) {
    if (!wire) { return; }
    if (Math.abs(event.clientX - wire.x) + Math.abs(event.clientY - wire.y) > 5) { wire.moved = true; }
    var p = toSvg(wire.svg, event);
    wire.line.setAttribute("x2", p.x);
    wire.line.setAttribute("y2", p.y);
    var over = nodeAt(event);
    wire.svg.querySelectorAll(".is-drop-target").forEach(function (n) { if (n !== over) { n.classList.remove("is-drop-target"); } });
    if (over && over.dataset.key !== wire.port.dataset.node) { over.classList.add("is-drop-target"); }
  });

  document.addEventListener("pointerup", function (event) {
    if (!wire) { return; }
    var done = wire;
    wire = null;
    done.line.remove();
    done.svg.querySelectorAll(".is-drop-target").forEach(function (n) { n.classList.remove("is-drop-target"); });
    if (!done.moved) {  // a click: the canvas comes back with every node a target to click
      var query = "?node=" + encodeURIComponent(done.port.dataset.node) + "&kind=" + encodeURIComponent(done.port.dataset.port);
      window.htmx.ajax("GET", done.svg.dataset.connectUrl + query, { source: done.port, swap: "none" });
      return;
    }
    var target = nodeAt(event);
    if (target && target.dataset.key !== done.port.dataset.node) {
      send(done.svg.dataset.edgeAddUrl, target, {
        source: done.port.dataset.node, target: target.dataset.key, kind: done.port.dataset.port,
      });
    }
  });

  // --- Drop a palette item on an edge or a node -------------------------------------------------
  function dropTarget(event) {
    var element = event.target.closest && event.target.closest(".canvas-svg .edge, .canvas-svg .node[data-key]");
    return dragType && element && canvasSvg() && canvasSvg().dataset.insertUrl ? element : null;
  }

  function clearDrop() {
    document.querySelectorAll(".canvas-svg .is-drop-target").forEach(function (e) { e.classList.remove("is-drop-target"); });
  }

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".palette-item");
    if (!item) { return; }
    dragType = item.value;
    event.dataTransfer.effectAllowed = "copy";
    event.dataTransfer.setData("text/plain", item.value);
  });
  document.addEventListener("dragend", function () { dragType = null; clearDrop(); });

  document.addEventListener("dragover", function (event) {
    var target = dropTarget(event);
    clearDrop();
    if (!target) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    target.classList.add("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    var target = dropTarget(event);
    var type = dragType;
    dragType = null;
    clearDrop();
    if (!target) { return; }
    event.preventDefault();
    var svg = canvasSvg();
    if (target.classList.contains("edge")) {
      send(svg.dataset.insertUrl, target, {
        type: type, source: target.dataset.source, target: target.dataset.target, kind: target.dataset.kind,
      });
    } else {
      send(svg.dataset.addAfterUrl, target, { type: type, node: target.dataset.key });
    }
  });

  // --- Shift+click: pick several nodes to copy together -----------------------------------------
  function pickedHere() {
    var canvas = document.getElementById("canvas");
    var id = canvas ? canvas.dataset.workflow : "";
    picked[id] = picked[id] || {};
    return picked[id];
  }

  function showPicked() {
    var keys = pickedHere();
    document.querySelectorAll(".canvas-svg .node[data-key]").forEach(function (node) {
      node.classList.toggle("is-picked", Boolean(keys[node.dataset.key]));
    });
  }

  document.addEventListener("click", function (event) {
    var node = event.shiftKey && event.target.closest && event.target.closest(".canvas-svg .node[data-key]");
    if (node) {
      event.stopPropagation();
      event.preventDefault();
      var keys = pickedHere();
      if (keys[node.dataset.key]) { delete keys[node.dataset.key]; } else { keys[node.dataset.key] = true; }
      showPicked();
      return;
    }
    var copy = event.target.closest && event.target.closest('[data-shortcut="copy"]');
    if (copy && copy.form) {  // the inspected node is in the form already; add the picked ones
      Object.keys(pickedHere()).forEach(function (key) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "node"; input.value = key;
        copy.form.appendChild(input);
      });
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var canvas = document.getElementById("canvas");
      if (canvas) { picked[canvas.dataset.workflow] = {}; }
      showPicked();
    }
  });

  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "canvas") { showPicked(); }
  });
})();
