/* Handbill comment form: puts a fresh signed token from the comment service into the form's
   hidden "token" field, since a static page cannot carry one, and makes the comments' "Reply"
   links fill in the hidden "reply_to" field. No dependencies.
   Without it (script blocked, service unreachable) the form still posts, and the service
   answers with a page that keeps the visitor's text and carries a token. */
(function () {
  "use strict";
  var form = document.getElementById("comment-form");
  if (!form || !form.dataset.tokenUrl || !form.elements.token || !form.elements.post) return;

  var issuedAt = 0;       // when the current token was fetched (ms)
  var lifetime = 0;       // how long it stays valid (ms)
  var minFill = 0;        // how long the service wants between token and submission (ms)

  function fetchToken() {
    var url = form.dataset.tokenUrl + (form.dataset.tokenUrl.indexOf("?") < 0 ? "?" : "&") +
      "post=" + encodeURIComponent(form.elements.post.value);
    return fetch(url, { mode: "cors", credentials: "omit", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("comment token: HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        form.elements.token.value = data.token;
        issuedAt = Date.now();
        lifetime = data.expires_in * 1000;
        minFill = (data.min_fill_seconds || 0) * 1000;
      })
      .catch(function (error) { console.warn(error); });
  }

  function fresh() {
    // A margin of a minute, so a token never expires between the check and the post.
    return form.elements.token.value && Date.now() - issuedAt < lifetime - 60000;
  }

  // A page left open for long (or a laptop woken from sleep) gets a new token before it is needed.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !fresh()) fetchToken();
  });

  form.addEventListener("submit", function (event) {
    if (fresh()) return;
    event.preventDefault();
    fetchToken().then(function () {
      setTimeout(function () { form.submit(); }, fresh() ? Math.max(0, minFill - (Date.now() - issuedAt)) : 0);
    });
  });

  // "Reply" links (data-reply-to) answer one comment; a note above the form says which, and undoes it.
  var replying = document.createElement("p");
  replying.className = "comment-form__replying";
  replying.setAttribute("role", "status");
  replying.hidden = true;
  form.insertBefore(replying, form.firstChild);

  function replyTo(id, author) {
    form.elements.reply_to.value = id;
    replying.textContent = id ? "Replying to " + author + ". " : "";
    replying.hidden = !id;
    if (!id) return;
    var cancel = document.createElement("button");
    cancel.type = "button";
    cancel.textContent = "Write a new comment instead";
    cancel.addEventListener("click", function () { replyTo("", ""); });
    replying.appendChild(cancel);
  }

  if (form.elements.reply_to) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("[data-reply-to]");
      if (!link) return;
      event.preventDefault();
      replyTo(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-author") || "this comment");
      form.scrollIntoView({ behavior: "smooth", block: "start" });
      form.elements.body.focus({ preventScroll: true });
    });
  }

  fetchToken();
})();
