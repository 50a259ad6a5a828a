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

  // Decision desk: j/k move between claims, 1-3 choose the final verdict of the current
  // claim, r goes to its rationale, a approves its first pending verdict, Ctrl/Cmd+Enter
  // in its form decides. After an action the page comes back at the claim (#claim-N).
  function enhanceDesk(cards) {
    var current = 0;
    var fromHash = document.getElementById(location.hash.slice(1));
    cards.forEach(function (card, index) { if (card === fromHash) { current = index; } });
    function show(index) {
      current = Math.max(0, Math.min(cards.length - 1, index));
      cards.forEach(function (card) { card.classList.remove("current"); });
      cards[current].classList.add("current");
      cards[current].focus({ preventScroll: true });
      cards[current].scrollIntoView({ block: "start" });
    }
    if (fromHash) { cards[current].classList.add("current"); }
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      var form = cards[current].querySelector("form[data-decide-form]");
      if ((event.ctrlKey || event.metaKey) && event.key === "Enter" && form &&
          form.contains(target)) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.submit();
        return;
      }
      var typing = target && (target.tagName === "TEXTAREA" || target.tagName === "SELECT" ||
        target.tagName === "INPUT" && target.type !== "radio" && target.type !== "checkbox");
      if (typing || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var card = cards[current];
      var details = card.querySelector("details.decide");
      if (event.key === "j" || event.key === "k") {
        event.preventDefault();
        show(current + (event.key === "j" ? 1 : -1));
      } else if (["1", "2", "3"].indexOf(event.key) >= 0) {
        var radio = card.querySelectorAll('input[name="final_verdict"]')[Number(event.key) - 1];
        if (!radio) { return; }
        event.preventDefault();
        if (details) { details.open = true; }
        radio.checked = true;
        radio.focus();
      } else if (event.key === "r") {
        var rationale = card.querySelector('textarea[name="rationale"]');
        if (!rationale) { return; }
        event.preventDefault();
        if (details) { details.open = true; }
        rationale.focus();
      } else if (event.key === "a") {
        var approve = card.querySelector("button.approve:not([disabled])");
        if (approve) { event.preventDefault(); approve.click(); }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var cards = Array.prototype.slice.call(document.querySelectorAll("[data-desk-claim]"));
    if (cards.length) { enhanceDesk(cards); }
    var form = document.querySelector("form.verdict-form");
    if (form) { enhanceVerdictForm(form); }
    var split = document.querySelector("form.split-form");
    if (split) { enhanceSplitForm(split); }
    var current = document.getElementById("current");
    if (current && current.scrollIntoView) { current.scrollIntoView({ block: "center" }); }
  });
})();
