// Progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // The keys of each page, for the help overlay that "?" opens: one list per page, next to
  // the code that handles them, so the overlay cannot drift from what the keys do.
  var CLAIM_KEYS = [
    ["1", "Supported"], ["2", "Disputed"], ["3", "Unclear"],
    ["Ctrl+Enter", "Save verdict (also from inside the note)"],
    ["j", "Next claim"], ["k", "Previous claim"]
  ];
  var DESK_KEYS = [
    ["j", "Next claim"], ["k", "Previous claim"],
    ["1 2 3", "Choose the final verdict of the current claim"],
    ["r", "Write the rationale"], ["Ctrl+Enter", "Decide (inside the form)"],
    ["a", "Approve the claim's first pending verdict"]
  ];
  var COMMON_KEYS = [["?", "Show this list"], ["Esc", "Close it"]];

  // Single-key shortcuts stay quiet while someone types in a field.
  function isTyping(target) {
    if (!target) { return false; }
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    return target.tagName === "INPUT" && target.type !== "radio" && target.type !== "checkbox";
  }

  // "?" opens a <dialog> listing the page's keys; Esc closes it (the browser does that).
  function enhanceShortcutHelp(keys) {
    var dialog = document.createElement("dialog");
    dialog.className = "shortcuts";
    dialog.setAttribute("aria-labelledby", "shortcuts-title");
    var title = document.createElement("h2");
    title.id = "shortcuts-title";
    title.textContent = "Keyboard shortcuts";
    var table = document.createElement("table");
    keys.concat(COMMON_KEYS).forEach(function (pair) {
      var row = table.insertRow();
      var key = document.createElement("th");
      key.scope = "row";
      pair[0].split(" ").forEach(function (part, index) {
        if (index) { key.appendChild(document.createTextNode(" ")); }
        var kbd = document.createElement("kbd");
        kbd.textContent = part;
        key.appendChild(kbd);
      });
      row.appendChild(key);
      row.insertCell().textContent = pair[1];
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { dialog.close(); });
    dialog.append(title, table, close);
    document.body.appendChild(dialog);
    var hint = document.querySelector("button.shortcuts-hint");
    if (hint) {
      hint.hidden = false;
      hint.addEventListener("click", function () { dialog.showModal(); });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey ||
          isTyping(event.target) || dialog.open) { return; }
      event.preventDefault();
      dialog.showModal();
    });
  }

  // The highlighted claim is centred inside the article panel only: scrolling the window
  // would push the navigation, the claim and the messages above the screen.
  function centreInPanel(mark) {
    var panel = mark.closest(".in-context");
    if (!panel) { return; }
    var offset = mark.getBoundingClientRect().top - panel.getBoundingClientRect().top;
    panel.scrollTop += offset - Math.max(0, (panel.clientHeight - mark.offsetHeight) / 2);
  }

  // Claim page: j/k go to the next/previous claim of the article.
  function enhanceClaimSteps() {
    document.addEventListener("keydown", function (event) {
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var rel = { j: "next", k: "prev" }[event.key];
      var link = rel && document.querySelector('.crumbs a[rel="' + rel + '"]');
      if (link) { event.preventDefault(); link.click(); }
    });
  }

  // Claim page: its messages float over the page (see style.css); each gets a close button.
  function dismissibleFlashes() {
    Array.prototype.forEach.call(document.querySelectorAll(".claim-page .flash"), function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dismiss";
      button.setAttribute("aria-label", "Dismiss this message");
      button.textContent = "×";
      button.addEventListener("click", function () { item.remove(); });
      item.appendChild(button);
    });
  }

  // A page shown again with errors puts the focus on the first field in error.
  function focusFirstError() {
    var field = document.querySelector('[aria-invalid="true"]');
    if (field) { field.focus(); }
  }

  // Claim page: keys 1-3 pick a verdict, Ctrl/Cmd+Enter saves.
  function enhanceVerdictForm(form) {
    var radios = form.querySelectorAll('input[name="verdict"]');
    document.addEventListener("keydown", function (event) {
      var typing = isTyping(event.target);
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
      if (isTyping(target) || event.altKey || event.ctrlKey || event.metaKey) { return; }
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
    if (cards.length) { enhanceDesk(cards); enhanceShortcutHelp(DESK_KEYS); }
    var form = document.querySelector("form.verdict-form");
    if (form) { enhanceVerdictForm(form); }
    var current = document.getElementById("current");
    if (current) {
      enhanceClaimSteps();
      enhanceShortcutHelp(form ? CLAIM_KEYS : CLAIM_KEYS.slice(4));
      centreInPanel(current);
    }
    var split = document.querySelector("form.split-form");
    if (split) { enhanceSplitForm(split); }
    dismissibleFlashes();
    focusFirstError();
  });
})();
