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

  // Admin claim page: choosing where to split shows the cut in the claim itself.
  function enhanceSplitForm(form) {
    var quote = document.querySelector(".current-claim");
    if (!quote) { return; }
    // Offsets count code points, as the server does; Array.from splits a string that way.
    var chars = Array.from(quote.textContent);
    form.addEventListener("change", function (event) {
      if (event.target.name !== "at") { return; }
      var at = parseInt(event.target.value, 10);
      var mark = document.createElement("span");
      mark.className = "cut-mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = " | ";
      quote.textContent = "";
      quote.appendChild(document.createTextNode(chars.slice(0, at).join("")));
      quote.appendChild(mark);
      quote.appendChild(document.createTextNode(chars.slice(at).join("")));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.verdict-form");
    if (form) { enhanceVerdictForm(form); }
    var split = document.querySelector("form.split-form");
    if (split) { enhanceSplitForm(split); }
    var current = document.getElementById("current");
    if (current && current.scrollIntoView) { current.scrollIntoView({ block: "center" }); }
  });
})();
