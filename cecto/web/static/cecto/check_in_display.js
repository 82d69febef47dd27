// The check-in display shows a new QR code every few seconds. The page works without this script
// (a "Show the next code now" link), and the "Pause the changes" link stops the rotation: the
// timing is adjustable, as WCAG 2.2.1 asks, which a <meta http-equiv="refresh"> would not be.
(function () {
  var script = document.currentScript;
  var seconds = Number(script && script.dataset.rotatesSeconds) || 30;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
