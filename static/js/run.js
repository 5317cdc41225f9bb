// Run page: clicking a node of the graph opens that node's steps (inputs and outputs) below it.
// HTMX replaces the live region every 2 s while the run is open, which would close what the
// user opened, so the chosen node is remembered here and opened again after each swap.
(function () {
  "use strict";
  let chosen = null;

  function open(key, scroll) {
    const panel = key && document.getElementById("node-steps-" + key);
    if (!panel) return;
    panel.open = true;
    if (scroll) panel.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }

  document.addEventListener("click", function (event) {
    const node = event.target.closest(".run-canvas .node[data-key]");
    if (!node) return;
    chosen = node.dataset.key;
    open(chosen, true);
  });
  document.addEventListener("htmx:afterSettle", function () {
    open(chosen, false);
  });
})();
