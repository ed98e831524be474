// The search page (theme/templates/search.html): searches for ?q= on arrival, then for what the
// reader types, with Pagefind's JS API (pagefind.js in the index the build writes), and lists
// the results as the theme's own markup.
const MAX_RESULTS = 20;
const TYPING_PAUSE_MS = 250;

const root = document.querySelector(".search");
const form = root.querySelector(".search__form");
const input = root.querySelector(".search__input");
const status = root.querySelector(".search__status");
const list = root.querySelector(".search__results");
const site = new URL(root.dataset.siteUrl, document.baseURI);
const bundle = new URL(root.dataset.bundleUrl, document.baseURI);
// A large site's index comes in parts (plugins/handbill_search/parts.py), all searched together;
// a search page made from an older template names none, and its index is then one part.
const parts = JSON.parse(root.dataset.bundleParts ?? '[""]').map((folder) => new URL(folder, bundle));

let pagefind = null;

function loadPagefind() {
  pagefind ??= (async () => {
    if (!parts.length) throw new Error("the build made no search index");
    const [first, ...others] = parts;
    const module = await import(new URL("pagefind.js", first).href);
    // Pagefind keeps addresses from the site's root, and the site may live in a sub-folder.
    const options = { baseUrl: site.pathname };
    await module.options(options);
    for (const part of others) await module.mergeIndex(part.href, options);
    return module;
  })();
  return pagefind;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  heading.className = "search-result__title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const excerpt = document.createElement("p");
  excerpt.className = "search-result__excerpt";
  // Pagefind escapes the page's own < and >, so the only markup in an excerpt is its <mark>s.
  excerpt.innerHTML = data.excerpt;
  item.append(heading, excerpt);
  if (data.meta.handout) {
    const note = document.createElement("p");
    note.className = "search-result__handout";
    const handout = document.createElement("a");
    handout.href = new URL(data.meta.handout, site).href;
    handout.textContent = "Printable handout";
    note.append(handout);
    if (data.meta.handout_pages) note.append(` (PDF, ${data.meta.handout_pages})`);
    item.append(note);
  }
  return item;
}

function summary(query, total) {
  if (total === 0) return `No posts found for “${query}”.`;
  const found = `${total} ${total === 1 ? "result" : "results"} for “${query}”`;
  return total > MAX_RESULTS ? `${found}, the first ${MAX_RESULTS} shown.` : `${found}.`;
}

// Each search has a number, so that a slow earlier one never replaces the results of a later one.
let latest = 0;

async function search(text) {
  const ticket = ++latest;
  const query = text.trim();
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
  let results;
  try {
    const found = await (await loadPagefind()).search(query);
    results = await Promise.all(found.results.slice(0, MAX_RESULTS).map((result) => result.data()));
    if (ticket === latest) status.textContent = summary(query, found.results.length);
  } catch (error) {
    if (ticket === latest) status.textContent = "Search is not available right now: its index could not be loaded.";
    console.error(error);
    return;
  }
  if (ticket === latest) list.replaceChildren(...results.map(resultItem));
}

function searchAndRemember(text) {
  const address = new URL(window.location.href);
  if (text.trim()) address.searchParams.set("q", text.trim());
  else address.searchParams.delete("q");
  window.history.replaceState(null, "", address);
  return search(text);
}

let typing = null;
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => searchAndRemember(input.value), TYPING_PAUSE_MS);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  searchAndRemember(input.value);
});

const asked = new URLSearchParams(window.location.search).get("q") || "";
if (asked) {
  input.value = asked;
  search(asked);
}
