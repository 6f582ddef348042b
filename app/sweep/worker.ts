// The worker-thread side of a sweep: loads the built-in runners (and any runner modules the sweep
// names), then runs the points the engine posts, one at a time, replying with each point's metrics
// or its error (with its code for a RramsimError, which the engine records as the point's failure;
// without one for anything else, which stops the sweep). Started by the engine with a small
// bootstrap that registers ts-node (transpile only) when the sources are TypeScript.

import { parentPort, workerData } from "node:worker_threads";
import { isRramsimError } from "../../sim/errors";
import { getPointRunner } from "./runner";
import { runSweepPoint, type SweepWorkerReply, type SweepWorkerRequest } from "./engine";

for (const m of (workerData as { modules: string[] }).modules) require(m);

const port = parentPort;
if (port !== null) {
  port.on("message", (req: SweepWorkerRequest) => {
    const reply = (r: SweepWorkerReply) => port.postMessage(r);
    (async () => {
      try {
        const metrics = await runSweepPoint(getPointRunner(req.runner), req.args, req.raw, req.source, req.seed);
        reply({ kind: "done", index: req.index, metrics });
      } catch (e) {
        reply({ kind: "error", index: req.index, code: isRramsimError(e) ? e.code : null, message: isRramsimError(e) ? e.message : ((e as Error)?.stack ?? String(e)) });
      }
    })();
  });
}
