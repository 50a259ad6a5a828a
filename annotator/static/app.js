// Progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Claim page: keys 1-3 pick a verdict, Ctrl/Cmd+Enter saves, and the claim scrolls into view.
  function enhanceVerdictForm(form) {
    var radios = form.querySelectorAll('input[name="verdict"]');
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "INPUT" &&
        target.type !== "radio" || target.isContentEditable);
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.submit();
        return;
      }
      if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var index = ["1", "2", "3"].indexOf(event.key);
      if (index >= 0 && radios[index]) {
        radios[index].checked = true;
        radios[index].focus();
        event.preventDefault();
      }
    });
    // Warn before leaving with an unsaved note: nothing typed should be lost by a stray click.
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.verdict-form");
    if (form) { enhanceVerdictForm(form); }
    var current = document.getElementById("current");
    if (current && current.scrollIntoView) { current.scrollIntoView({ block: "center" }); }
  });
})();
