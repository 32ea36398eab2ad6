// One open app: subscribes with the graphql-ws client (graphql-transport-ws) and prints each
// event as a JSON line; "CONNECTED" once the server acknowledged the connection.
// node subscribe.mjs <ws-url> <token> <document> <citizenId> <events to wait for>
import { readFileSync } from "node:fs";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const [url, token, document, citizenId, wanted] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
  on: { connected: () => console.log("CONNECTED") },
});
let seen = 0;
client.subscribe(
  { query: readFileSync(document, "utf8"), variables: { citizenId } },
  {
    next: (value) => {
      console.log(JSON.stringify(value));
      seen += 1;
      if (seen >= Number(wanted)) {
        client.dispose();
        process.exit(0);
      }
    },
    error: (error) => {
      console.error(JSON.stringify(error, Object.getOwnPropertyNames(error)));
      process.exit(2);
    },
    complete: () => process.exit(0),
  },
);
setTimeout(() => {
  console.error("no event within 30 s");
  process.exit(3);
}, 30_000);
