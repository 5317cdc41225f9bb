// Run page: choosing a node of the graph shows its details in the panel beside it.
// Why JavaScript: the graph is the editor's read-only drawing (no hx-* attributes on its nodes),
// and static/js/canvas.js turns a drag into a click, so a node is chosen here: an HTMX GET of
// the run page with ?node=<key> swaps the #run-node panel (the server renders it), the address
// bar keeps ?node= for a reload or a shared link, and the node is outlined at once. The poll
// sends the chosen node along (hx-include of #run-node-key), so the panel stays on it.
(function () {
  "use strict";

  function choose(node) {
    const graph = document.getElementById("run-graph");
    if (!graph || !node) return;
    const url = new URL(graph.dataset.nodeUrl, window.location.href);
    url.searchParams.set("node", node.dataset.key);
    htmx.ajax("GET", url.pathname + url.search, { target: "#run-node", swap: "outerHTML" });
    const address = new URL(window.location.href);
    address.searchParams.set("node", node.dataset.key);
    window.history.replaceState(null, "", address);
    document.querySelectorAll("#canvas .node.is-selected").forEach(function (other) {
      other.classList.remove("is-selected");
    });
    node.classList.add("is-selected");
  }

  // The drawing is read-only: give its nodes the keyboard access the editor's nodes have.
  function focusable() {
    document.querySelectorAll("#canvas .node[data-key]:not([tabindex])").forEach(function (node) {
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      node.setAttribute("aria-label", (node.querySelector("title") || node).textContent + ": show its details");
    });
  }

  document.addEventListener("click", function (event) {
    choose(event.target.closest("#canvas .node[data-key]"));
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Enter") choose(event.target.closest && event.target.closest("#canvas .node[data-key]"));
  });
  document.addEventListener("DOMContentLoaded", focusable);
  document.addEventListener("htmx:oobAfterSwap", focusable);
})();
