// Opens the merged ERDM API in Swagger UI. The description (/api/v1/openapi.json) needs a key like
// every /api/v1 call, so the key is asked for first, sent with the description request, and handed
// to Swagger's Authorize state so that "Try it out" calls carry it too.
(function () {
  "use strict";
  var STORE = "erdm.apiKey"; // sessionStorage: gone when the tab closes
  var form = document.getElementById("erdm-key-form");
  var input = document.getElementById("erdm-key");
  var shown = document.getElementById("erdm-key-shown");

  function open(key) {
    form.hidden = true;
    shown.hidden = false;
    document.getElementById("erdm-key-prefix").textContent = key.slice(0, 12) + "…";
    window.ui = SwaggerUIBundle({
      url: "/api/v1/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: "BaseLayout",
      requestInterceptor: function (request) {
        // A key set through Authorize wins; otherwise the one given above goes along.
        if (!request.headers.Authorization) {
          request.headers.Authorization = "Bearer " + key;
        }
        return request;
      },
      onComplete: function () {
        window.ui.preauthorizeApiKey("bearerAuth", key);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var key = input.value.trim();
    if (key) {
      sessionStorage.setItem(STORE, key);
      open(key);
    }
  });
  document.getElementById("erdm-key-change").addEventListener("click", function () {
    sessionStorage.removeItem(STORE);
    window.location.reload();
  });

  var remembered = sessionStorage.getItem(STORE);
  if (remembered) {
    open(remembered);
  }
}());
