// The document pages' reading view: a branch's tooltip (its structure's kind and template) is listed
// once per page in <script id="tifa-tips"> and each piece of a branch names it by number (data-t);
// this gives the pieces their title attributes back (see analysis/reading.py).
(function () {
  function restore() {
    var list = document.getElementById("tifa-tips");
    if (!list) return;
    var tips = JSON.parse(list.textContent);
    document.querySelectorAll(".doc-text [data-t]").forEach(function (piece) {
      piece.title = tips[+piece.getAttribute("data-t")] || "";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restore);
  else restore();
})();
