// Starts Swagger UI on the schema named by the page (no inline script: the portal's CSP forbids it).
"use strict";
(function () {
  const element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
    deepLinking: true,
  });
})();
