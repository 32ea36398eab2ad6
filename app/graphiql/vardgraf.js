// GraphiQL for Vårdgraf. The Authorization header is a patient-data credential: it must never
// be written to the browser's storage, so headers are not persisted (shouldPersistHeaders).
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultHeaders: '{\n  "Authorization": "Bearer "\n}',
      defaultEditorToolsVisibility: "headers",
      defaultQuery:
        "# Staff: your clinics and roles\nquery Workspace {\n  workspace {\n    staff { hsaId givenName familyName }\n    clinics { id name roles }\n  }\n}\n",
    })
  );
})();
