
/* insightmap: stemmed type-ahead for Swedish search.
 *
 * Material for MkDocs appends `*` to every query term (search as you type), and
 * lunr runs no pipeline, so no stemmer, on wildcard terms. The index holds stems
 * (`tillgäng`), so the query `tillgängligheten*` found nothing. For every optional
 * wildcard term we also ask for its stem as a prefix: `tillgäng*`. This file is
 * Material's own lunr.sv.min.js with this block appended, loaded only by the
 * search worker.
 */
(function (lunr) {
  if (!lunr || !lunr.sv || !lunr.Query || lunr.Query.prototype.__insightmapStemPrefix) return;
  var clause = lunr.Query.prototype.clause;
  lunr.Query.prototype.__insightmapStemPrefix = true;
  lunr.Query.prototype.clause = function (c) {
    var result = clause.call(this, c);
    var term = String(c.term || "");
    if (c.usePipeline === false && c.presence === lunr.Query.presence.OPTIONAL &&
        /^[^*]{3,}\*$/.test(term)) {
      var word = term.slice(0, -1);
      var stem = String(lunr.sv.stemmer(new lunr.Token(word, {})));
      if (stem && stem !== word) {
        clause.call(this, {
          term: stem, fields: c.fields, boost: c.boost, usePipeline: false,
          wildcard: lunr.Query.wildcard.TRAILING, presence: lunr.Query.presence.OPTIONAL
        });
      }
    }
    return result;
  };
})(typeof self !== "undefined" ? self.lunr : this.lunr);
