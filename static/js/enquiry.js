// Progressive enhancement for the enquiry form. Without JavaScript the browser's own
// validation (the required and type attributes) stops an incomplete form; with it,
// each problem is written next to its field, tied to it with aria-describedby, and
// listed in a summary that takes focus.
(function () {
  var form = document.querySelector("form[data-enquiry]");
  if (!form) return;
  var summary = document.getElementById("enquiry-errors");
  var list = summary.querySelector("ul");
  form.noValidate = true;

  function labelText(field) {
    var label = field.labels && field.labels[0];
    return label ? label.textContent.replace("*", "").trim() : field.name;
  }

  function message(field) {
    var v = field.validity;
    if (v.valueMissing) {
      if (field.type === "checkbox") return "Tick the box to agree to how we use your details";
      if (field.tagName === "SELECT") return "Choose the service you are asking about";
      return "Enter " + labelText(field).charAt(0).toLowerCase() + labelText(field).slice(1);
    }
    if (v.typeMismatch && field.type === "email") return "Enter an email address like name@example.org";
    return field.validationMessage;
  }

  form.addEventListener("submit", function (event) {
    var problems = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      var error = field.id && document.getElementById(field.id + "-error");
      if (!error) return;
      var ok = field.checkValidity();
      if (ok) {
        field.removeAttribute("aria-invalid");
        error.textContent = "";
        error.hidden = true;
      } else {
        field.setAttribute("aria-invalid", "true");
        error.textContent = message(field);
        error.hidden = false;
        problems.push(field);
      }
    });
    list.textContent = "";
    if (!problems.length) {
      summary.hidden = true;
      return;
    }
    event.preventDefault();
    problems.forEach(function (field) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + field.id;
      link.textContent = document.getElementById(field.id + "-error").textContent;
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.hidden = false;
    summary.focus();
  });
})();
