/* Editor keyboard shortcuts: Delete/Backspace deletes the inspected node, Ctrl/Cmd+Z undoes,
 * Ctrl/Cmd+Shift+Z redoes, Ctrl/Cmd+C copies the inspected node, Ctrl/Cmd+V pastes, Escape closes
 * the inspector (or cancels picking an edge target, canvas.js), "?" opens the list of shortcuts
 * (_shortcut_help.html). Arrow keys and Enter on nodes live with the canvas (canvas.js, node attributes).
 *
 * Why JavaScript: HTML cannot bind keys to buttons (accesskey needs Alt and differs per browser).
 * Each shortcut clicks the existing button marked data-shortcut, so it sends the same HTMX request,
 * with the same version, confirmation and answer, as a click; a shortcut whose button is absent or
 * disabled (a viewer, nothing to undo) does nothing. Keys typed into a field are left alone, and so
 * is Ctrl+C while the user has selected text (copying the code view, a message).
 * A key pressed right after a swap may reach a form htmx has not processed yet (it does so when the
 * swap settles); processing it first keeps the click an HTMX request instead of a plain form submit.
 */
(function () {
  "use strict";

  function shortcut(event) {
    var modifier = event.ctrlKey || event.metaKey;
    var key = event.key.toLowerCase();
    if (modifier && key === "z") { return event.shiftKey ? "redo" : "undo"; }
    if (modifier && key === "c" && !String(window.getSelection())) { return "copy"; }
    if (modifier && key === "v") { return "paste"; }
    if (modifier || event.altKey) { return null; }
    if (event.key === "Delete" || event.key === "Backspace") { return "delete"; }
    if (event.key === "Escape" && !document.querySelector("[data-cancel-connect]")) { return "close"; }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) { return; }
    if (event.key === "?" && !event.ctrlKey && !event.metaKey) {
      var help = document.querySelector("[data-shortcut-help]");
      if (help) { event.preventDefault(); help.open = !help.open; }
      return;
    }
    var name = shortcut(event);
    var button = name && document.querySelector('[data-shortcut="' + name + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      if (window.htmx) { window.htmx.process(button.form || button); }
      button.click();
    }
  });
})();
