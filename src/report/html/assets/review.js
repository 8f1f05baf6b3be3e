// copydesk review page: keyboard navigation between findings.
// j or n: next finding; k or p: previous; Enter on a finding: its evidence card.
(function () {
  "use strict";
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.hl.head"));
  var position = document.getElementById("position");
  var current = -1;

  function card(mark) {
    return document.getElementById("card-" + mark.id.slice(2));
  }

  function select(i) {
    if (marks.length === 0) return;
    i = Math.max(0, Math.min(marks.length - 1, i));
    if (current >= 0) {
      marks[current].classList.remove("current");
      var old = card(marks[current]);
      if (old) old.classList.remove("current");
    }
    current = i;
    var m = marks[i];
    m.classList.add("current");
    var c = card(m);
    if (c) c.classList.add("current");
    m.focus({ preventScroll: true });
    m.scrollIntoView({ block: "center" });
    if (position) position.textContent = "Finding " + (i + 1) + " of " + marks.length + ": " + m.dataset.code + ", line " + m.dataset.line + ".";
  }

  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var key = e.key;
    if (key === "j" || key === "n") {
      select(current + 1);
      e.preventDefault();
    } else if (key === "k" || key === "p") {
      select(current < 0 ? 0 : current - 1);
      e.preventDefault();
    } else if (key === "Enter" && document.activeElement && document.activeElement.matches("mark.hl.head")) {
      var c = card(document.activeElement);
      if (c) {
        if (c.tagName === "DETAILS") c.open = true;
        c.scrollIntoView({ block: "nearest" });
        c.focus({ preventScroll: true });
      }
      e.preventDefault();
    }
  });

  marks.forEach(function (m, i) {
    m.addEventListener("click", function () { select(i); });
  });
})();
