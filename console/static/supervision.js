// The supervision pages' own behaviour, kept to what plain forms cannot do; every page works without it.
(function () {
  "use strict";
  // Choosing the enterprise shows its hazards (or closed orders) at once, rather than after a second click.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // A field that matters for one answer only (a failed review's new due date, a relapse's): shown with that answer.
  document.querySelectorAll("[data-shown-when]").forEach(function (block) {
    var rule = block.dataset.shownWhen.split("=");
    var form = block.closest("form");
    var choices = form.querySelectorAll("input[name='" + rule[0] + "']");
    function show() {
      var chosen = form.querySelector("input[name='" + rule[0] + "']:checked");
      // Left open while a refusal is shown beside it, whatever is ticked.
      block.hidden = !block.querySelector(".error") && !(chosen && chosen.value === rule[1]);
    }
    choices.forEach(function (choice) { choice.addEventListener("change", show); });
    show();
  });
})();
