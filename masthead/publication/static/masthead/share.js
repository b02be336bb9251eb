/* Share button: progressive enhancement. Without JavaScript the plain share links remain
   and the button stays hidden. Uses the Web Share API where the browser has it, else copies
   the canonical link to the clipboard. */
(function () {
  "use strict";
  var bar = document.querySelector("[data-share-url]");
  var button = bar && bar.querySelector(".share-copy");
  if (!button) return;
  var url = bar.getAttribute("data-share-url");
  var title = bar.getAttribute("data-share-title");
  if (navigator.share) {
    button.textContent = "Share…";
  } else if (!(navigator.clipboard && navigator.clipboard.writeText)) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    if (navigator.share) {
      navigator.share({ title: title, url: url }).catch(function () {});
      return;
    }
    navigator.clipboard.writeText(url).then(function () {
      button.textContent = "Link copied";
      button.setAttribute("aria-live", "polite");
    });
  });
})();
