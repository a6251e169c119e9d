// Starts Swagger UI on the gateway's OpenAPI document. It is a file of its
// own, not an inline script, so the page works under the
// Content-Security-Policy "default-src 'self'".
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/documentation/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // One line per tag: Swagger UI 5 stops rendering past ~130 open operations.
    docExpansion: "none",
    // No badge from the public validator: these machines reach no other origin.
    validatorUrl: null
  });
});
