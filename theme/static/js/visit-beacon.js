// One anonymous beacon when a page is opened from a printed QR code (its address carries
// utm_campaign): the campaign, the source and the page's path go to the comment service,
// which counts visits per day and page. Nothing is sent without a campaign, nothing is
// stored in the browser, and the campaign leaves the address bar afterwards, so that a
// reload or a shared link is not counted as another visit from paper.
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-endpoint");
  var query = new URLSearchParams(window.location.search);
  var campaign = query.get("utm_campaign");
  if (!endpoint || !campaign || !navigator.sendBeacon) {
    return;
  }
  navigator.sendBeacon(endpoint, new URLSearchParams({
    campaign: campaign,
    source: query.get("utm_source") || "qr",
    path: window.location.pathname
  }));
  query.delete("utm_campaign");
  query.delete("utm_source");
  var rest = query.toString();
  window.history.replaceState(window.history.state, "",
    window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
})();
