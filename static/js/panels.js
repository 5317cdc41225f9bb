/*
 * The editor's side panels (palette, inspector with validation) fold away so the canvas gets the
 * screen; the choice is remembered in this browser (localStorage). Opening a node unfolds the
 * inspector for that moment, without changing the remembered choice.
 *
 * Why JavaScript: folding a panel is a view preference of one browser, not a change to the
 * workflow, so no server round trip renders it.
 */
(function () {
  "use strict";

  var KEY = "editor-panels";

  function saved() {
    try { return JSON.parse(window.localStorage.getItem(KEY)) || {}; } catch (error) { return {}; }
  }

  function show(editor, panel, folded) {
    editor.classList.toggle("is-" + panel + "-folded", folded);
    var button = editor.querySelector('[data-panel="' + panel + '"]');
    if (button) {
      // A small arrow on the canvas's corner (it covers little of the graph), pointing where the panel goes.
      var towardsLeft = (panel === "palette") !== folded;
      button.setAttribute("aria-expanded", String(!folded));
      button.setAttribute("aria-label", (folded ? "Show the " : "Hide the ") + button.dataset.title);
      button.title = (folded ? "Show the " : "Hide the ") + button.dataset.title;
      button.textContent = towardsLeft ? "«" : "»";
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var editor = document.querySelector(".editor[data-panels]");
    if (!editor) { return; }
    var state = saved();
    ["palette", "side"].forEach(function (panel) { show(editor, panel, Boolean(state[panel])); });
    editor.addEventListener("click", function (event) {
      var button = event.target.closest("[data-panel]");
      if (!button) { return; }
      var panel = button.dataset.panel;
      var folded = !editor.classList.contains("is-" + panel + "-folded");
      show(editor, panel, folded);
      var next = saved();
      next[panel] = folded;
      try { window.localStorage.setItem(KEY, JSON.stringify(next)); } catch (error) { /* private mode: not remembered */ }
    });
    document.addEventListener("htmx:oobAfterSwap", function (event) {
      var target = event.detail.target;
      if (target && target.id === "inspector" && target.querySelector("h2 code")) { show(editor, "side", false); }
    });
  });
})();
