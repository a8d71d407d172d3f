// Runs the compiled usage file against a live API: BILATERAL_API=http://127.0.0.1:5000 node run.mjs
// (check.sh does this when BILATERAL_API is set, after compiling usage.ts to build/).
globalThis.BILATERAL_API = process.env.BILATERAL_API;
const usage = await import("./build/usage.js");
const pair = await usage.eventsOfThePair();
const sparse = await usage.sparseTitles();
const agreement = await usage.oneAgreement("az-il-education-programme-2023-2026");
const years = await usage.tradeTotals();
console.log(JSON.stringify({ pair, sparse: sparse.slice(0, 2), agreement, years }));
