// GraphiQL for Vårdgraf. The Authorization header is a patient-data credential: it must never
// be written to the browser's storage. Headers are not persisted (shouldPersistHeaders), and
// everything GraphiQL stores goes through a storage that drops headers from the tabs and the
// History (header-free-storage.js): GraphiQL's History keeps every run's headers otherwise.
(function () {
  "use strict";
  var e = React.createElement;
  var storage = new VardgrafHeaderFreeStorage(window.localStorage);
  storage.scrubAll(); // what an older page may have left
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var firstQuery =
    "# Staff: your clinics and roles. Put a staff token in Headers below first.\n" +
    "query Workspace {\n  workspace {\n    staff { hsaId givenName familyName }\n" +
    "    clinics { id name roles }\n  }\n}\n";

  function VardgrafGraphiQL() {
    var state = React.useState(firstQuery);
    var query = state[0];
    var setQuery = state[1];
    var explorer = GraphiQLPluginExplorer.useExplorerPlugin({ query: query, onEdit: setQuery });
    return e(GraphiQL, {
      fetcher: fetcher,
      storage: storage,
      query: query,
      onEditQuery: setQuery,
      plugins: [explorer],
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultHeaders: "{}", // the banner shows the format; an empty Bearer would be a 401
      defaultEditorToolsVisibility: "headers",
    });
  }

  // The packaged React is 17: render(), not createRoot().
  ReactDOM.render(e(VardgrafGraphiQL), document.getElementById("graphiql"));
})();
