// Apollo Client itself against a running Vårdgraf, as a production app is built: its
// persisted-query link takes each operation's id from the manifest that
// `python -m app.guard.trusted_documents` prints (Apollo's persisted-query-lists), so only hashes go
// out. A second client hashes an ad hoc document at run time: the server does not know the
// hash, Apollo sends the text, and production refuses it.
//
//   node run.mjs <graphql url> <bearer token> <manifest.json> <document.graphql>
// Prints one JSON object: what each client was answered, and the bodies it sent.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";

const [url, token, manifestPath, documentPath] = process.argv.slice(2);
const sent = [];

function client(persisted) {
  const http = new HttpLink({
    uri: url,
    headers: { authorization: `Bearer ${token}` },
    fetch: (input, init) => {
      sent.push(JSON.parse(init.body));
      return fetch(input, init);
    },
  });
  return new ApolloClient({ link: persisted.concat(http), cache: new InMemoryCache() });
}

async function answer(apollo, query) {
  try {
    const result = await apollo.query({ query, fetchPolicy: "network-only" });
    return { data: result.data };
  } catch (error) {
    const errors = error.errors ?? error.result?.errors ?? [];
    return { error: error.name, codes: errors.map((e) => e.extensions?.code) };
  }
}

const fromManifest = new PersistedQueryLink(
  generatePersistedQueryIdsFromManifest({
    loadManifest: () => JSON.parse(readFileSync(manifestPath, "utf8")),
  }),
);
const atRunTime = new PersistedQueryLink({
  sha256: (text) => createHash("sha256").update(text).digest("hex"),
});

const trusted = await answer(client(fromManifest), gql(readFileSync(documentPath, "utf8")));
const trustedSent = sent.splice(0);
const adHoc = await answer(client(atRunTime), gql("query Mine { me { givenName } }"));
console.log(JSON.stringify({ trusted, trustedSent, adHoc, adHocSent: sent }));
