// The graduation page: while an issuance run is open, refresh its progress once a second.
// Without JavaScript the box has a "Refresh" link instead. The request says HX-Request, as htmx
// would, so the view answers with the partial alone.
(function () {
  "use strict";
  const box = document.getElementById("issuance-run");
  if (!box || !box.dataset.pollUrl) return;
  const url = box.dataset.pollUrl;
  async function tick() {
    try {
      const response = await fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
      if (response.ok) box.innerHTML = await response.text();
    } catch (error) {
      // A missed beat is not worth a message: the next one tries again.
    }
    const run = box.querySelector("[data-open]");
    if (run && run.dataset.open === "true") window.setTimeout(tick, 1000);
  }
  window.setTimeout(tick, 1000);
})();
