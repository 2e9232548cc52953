// A Python hello world on a running Crucible, through @crucible/sdk as a user installs it.
// CRUCIBLE_URL (https://127.0.0.1:8443), CRUCIBLE_KEY (an API key); for the launcher's self-signed
// certificate, NODE_EXTRA_CA_CERTS=.crucible/tls/cert.pem. Exits 0 only for `accepted` and "hello".
import { Crucible, CrucibleError } from "@crucible/sdk";

const baseUrl = process.env.CRUCIBLE_URL;
const key = process.env.CRUCIBLE_KEY;
if (!baseUrl || !key) {
    console.error("set CRUCIBLE_URL (e.g. https://127.0.0.1:8443) and CRUCIBLE_KEY");
    process.exit(2);
}

const crucible = new Crucible({ baseUrl, key });
try {
    const done = await crucible.run({ runtime: "python", source: 'print("hello")' }, { timeoutMs: 60_000 });
    console.log(`verdict: ${done.verdict}`);
    console.log(`stdout: ${JSON.stringify(done.stdout)}`);
    if (done.verdict !== "accepted" || done.stdout?.trim() !== "hello") {
        console.error(`expected verdict accepted and stdout "hello" (submission ${done.id}, status ${done.status})`);
        process.exit(1);
    }
} catch (e) {
    if (!(e instanceof CrucibleError)) throw e;
    // status 0: no answer (the message says why: an untrusted certificate wants NODE_EXTRA_CA_CERTS).
    console.error(`Crucible error: ${e.message}${e.problem ? ` (code ${e.problem.code})` : ""}`);
    process.exit(1);
}
