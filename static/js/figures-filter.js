// Progressive enhancement for /figures/: a text filter over the list. Without
// JavaScript the filter stays hidden and the topic links do the same job.
(function () {
  var box = document.querySelector("[data-figure-filter]");
  if (!box) return;
  var input = box.querySelector("input");
  var status = box.querySelector("[role=status]");
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  box.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var text = item.textContent.toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) shown += 1;
    });
    document.querySelectorAll(".figure-group").forEach(function (group) {
      group.hidden = !group.querySelector("[data-figure]:not([hidden])");
    });
    status.textContent = words.length ? shown + " of " + items.length + " figures shown" : "";
  });
})();
