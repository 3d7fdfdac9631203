// Read a site's Statuspage API v2 with the published `statuspage.io` npm client and print what
// it got as JSON. Usage: node read-statuspage.js http://127.0.0.1:8000/
// Not called: scheduledMaintenances.getAll() and getActive(), which in statuspage.io 3.3.8 both
// request scheduled-maintenances/upcoming.json (a bug in the client's endpoint table).
"use strict";
const { Statuspage } = require("statuspage.io");

async function main() {
  const client = new Statuspage("unused"); // the page id only builds the default statuspage.io URL
  client.setApiUrl(process.argv[2]);
  const api = client.api;
  const result = {
    summary: await api.getSummary(),
    status: await api.getStatus(),
    components: await api.getComponents(),
    incidents: await api.incidents.getAll(),
    unresolved: await api.incidents.getUnresolved(),
    upcoming: await api.scheduledMaintenances.getUpcoming(),
  };
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
