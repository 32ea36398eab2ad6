// The Storage GraphiQL writes through: everything it keeps goes to localStorage except request
// headers. GraphiQL keeps headers in three places: the headers editor ("graphiql:headers"),
// the tabs ("graphiql:tabState") and History and favourites ("graphiql:queries",
// "graphiql:favorites"), each query saved with the headers it ran with, whatever
// shouldPersistHeaders says. An Authorization header is a patient-data credential: none of it
// may outlive the page, so every "headers" value is dropped on the way in and on the way out
// (the latter for what an older page wrote), and what was stored before is scrubbed at start.
(function () {
  "use strict";
  var PREFIX = "graphiql:";
  var HEADERS_EDITOR = PREFIX + "headers";
  // GraphiQL's own JSON records that carry headers (a query's variables text is the user's,
  // and is kept as written).
  var RECORDS = [PREFIX + "queries", PREFIX + "favorites", PREFIX + "tabState"];

  function withoutHeaders(value) {
    if (Array.isArray(value)) {
      return value.map(withoutHeaders);
    }
    if (value !== null && typeof value === "object") {
      var kept = {};
      Object.keys(value).forEach(function (key) {
        if (key !== "headers") kept[key] = withoutHeaders(value[key]);
      });
      return kept;
    }
    return value;
  }

  // The text GraphiQL wants to keep under `key`, without headers; null: keep nothing.
  function scrubbed(key, text) {
    if (key === HEADERS_EDITOR || text === null || text === undefined) return null;
    if (RECORDS.indexOf(key) < 0) return text;
    try {
      return JSON.stringify(withoutHeaders(JSON.parse(text)));
    } catch (notJson) {
      return null; // not a record GraphiQL wrote: nothing to keep that might hold a header
    }
  }

  function HeaderFreeStorage(backing) {
    this.backing = backing;
  }
  HeaderFreeStorage.prototype.getItem = function (key) {
    return scrubbed(key, this.backing.getItem(key));
  };
  HeaderFreeStorage.prototype.setItem = function (key, value) {
    var kept = scrubbed(key, String(value));
    if (kept === null) this.backing.removeItem(key);
    else this.backing.setItem(key, kept);
  };
  HeaderFreeStorage.prototype.removeItem = function (key) {
    this.backing.removeItem(key);
  };
  HeaderFreeStorage.prototype.clear = function () {
    this.backing.clear();
  };
  HeaderFreeStorage.prototype.key = function (index) {
    return this.backing.key(index);
  };
  Object.defineProperty(HeaderFreeStorage.prototype, "length", {
    get: function () {
      return this.backing.length;
    },
  });
  HeaderFreeStorage.prototype.scrubAll = function () {
    var keys = [];
    for (var i = 0; i < this.backing.length; i++) keys.push(this.backing.key(i));
    var self = this;
    keys.forEach(function (key) {
      if (key.indexOf(PREFIX) === 0) self.setItem(key, self.backing.getItem(key));
    });
  };

  window.VardgrafHeaderFreeStorage = HeaderFreeStorage;
})();
