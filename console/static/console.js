// The console's own behaviour, kept to what plain forms cannot do. Loaded from this site only (CSP).
(function () {
  "use strict";
  // A button with data-confirm asks before its form is sent (cancel, retire, delete).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
  // htmx requests carry the page's CSRF token, as every form does.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("meta[name=csrf-token]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.content; }
  });
})();
