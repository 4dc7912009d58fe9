// The /search/ page: runs the query in the address bar against the Pagefind index
// built with the site. Without JavaScript the page offers topic and year links instead.
(function () {
  var form = document.querySelector("[data-search]");
  if (!form) return;
  var status = document.querySelector("[data-search-status]");
  var list = document.querySelector("[data-search-results]");
  var bundle = form.getAttribute("data-bundle");
  var params = new URLSearchParams(window.location.search);
  var PAGE = 10;
  ["q", "topic", "year", "sort"].forEach(function (name) {
    var field = form.elements[name];
    if (field && params.get(name)) field.value = params.get(name);
  });
  var query = (params.get("q") || "").trim();
  var filters = {};
  if (params.get("topic")) filters.topic = params.get("topic");
  if (params.get("year")) filters.year = params.get("year");
  if (!query && !filters.topic && !filters.year) return;

  // Pagefind's excerpts are text with <mark> around the matched words; only those two
  // kinds of node are copied over, so nothing in an excerpt can become markup.
  function excerptNodes(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    var out = document.createDocumentFragment();
    holder.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function show(data) {
    var item = element("li", "search-result");
    var heading = element("h2", "search-result__title");
    var link = element("a", "", data.meta.title);
    link.href = data.url;
    heading.appendChild(link);
    item.appendChild(heading);
    var topics = (data.filters && data.filters.topic) || [];
    item.appendChild(element("p", "post-meta", [data.meta.date].concat(topics).filter(Boolean).join(" · ")));
    var excerpt = element("p", "search-result__excerpt");
    excerpt.appendChild(excerptNodes(data.excerpt));
    item.appendChild(excerpt);
    list.appendChild(item);
  }

  var describe = (query ? "for “" + query + "”" : "") + (filters.topic ? " in " + filters.topic : "") +
    (filters.year ? " from " + filters.year : "");
  status.textContent = "Searching…";
  import(bundle + "pagefind.js").then(function (pagefind) {
    return pagefind.options({ baseUrl: bundle.replace(/pagefind\/$/, ""), excerptLength: 24 }).then(function () {
      var sort = params.get("sort");
      var options = { filters: filters };
      if (sort === "newest" || sort === "oldest") options.sort = { date: sort === "newest" ? "desc" : "asc" };
      return pagefind.search(query || null, options);
    });
  }).then(function (search) {
    var results = search.results;
    var shown = 0;
    var more = element("button", "search-more", "Show more results");
    more.type = "button";
    function next() {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
        pages.forEach(show);
        more.hidden = shown >= results.length;
        status.textContent = (results.length === 1 ? "1 story" : results.length + " stories") + " found " + describe +
          (results.length > shown ? "; showing " + shown : "") + ".";
      });
    }
    list.hidden = results.length === 0;
    more.addEventListener("click", function () {
      var first = shown;
      next().then(function () {
        var link = list.children[first] && list.children[first].querySelector("a");
        if (link) link.focus();
      });
    });
    list.after(more);
    return next();
  }).catch(function () {
    status.textContent = "Search is not available right now. Browse by topic or year below.";
  });
})();
